import { fileURLToPath } from 'node:url';

/** Folder of the model shipped in the package (`models/default/`). */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/default/', import.meta.url));
