import { fileURLToPath } from 'node:url';

/** Folder of the model shipped in the package (`models/default/`). */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/default/', import.meta.url));

/** Folder of the pretrained speech encoder shipped in the package (`models/encoder/`), which the default heads name. */
export const DEFAULT_ENCODER_DIR = fileURLToPath(new URL('../../models/encoder/', import.meta.url));
