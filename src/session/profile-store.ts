/**
 * Voice profiles kept in the browser: IndexedDB of this origin (via `idb`, a thin promise
 * wrapper), one record per profile with its name and the model it was made for. Only the
 * adapted weights are stored, never audio. Profiles can be exported to a file and imported back.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { VoiceProfile } from '../adaptation/profile';

/** A stored profile. */
export interface StoredProfile {
  /** Key in the store (assigned on save). */
  readonly id: number;
  /** The person's name for it, e.g. "Ana". */
  readonly name: string;
  /** Fingerprint of the model it was made for (`profile.model`). */
  readonly model: string;
  readonly profile: VoiceProfile;
}

interface ProfileDb extends DBSchema {
  profiles: { key: number; value: StoredProfile; indexes: { model: string } };
}

/** The database name of this origin's profiles. */
export const PROFILE_DB = 'digit-listener-profiles';

/**
 * Checks the shape of a profile read from a file (not its model: `useProfile` refuses another
 * model's, naming both).
 * @throws Error naming `source` if it is not a digit-listener voice profile
 */
export function parseProfileFile(text: string, source: string): VoiceProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not a voice profile (not JSON: ${(error as Error).message})`, { cause: error });
  }
  const p = raw as Partial<VoiceProfile> | null;
  if (p?.format !== 'digit-listener-profile' || p.version !== 1 || typeof p.model !== 'string' || !p.head) {
    throw new Error(`${source} is not a digit-listener voice profile (version 1)`);
  }
  return p as VoiceProfile;
}

/** This origin's voice profiles. Open with {@link ProfileStore.open}. */
export class ProfileStore {
  private constructor(private readonly db: IDBPDatabase<ProfileDb>) {}

  /**
   * Opens (and on first use creates) the store.
   * @throws Error if IndexedDB is not available (e.g. some private modes)
   */
  static async open(name = PROFILE_DB): Promise<ProfileStore> {
    if (typeof indexedDB === 'undefined') throw new Error('this browser keeps no local data here (IndexedDB is not available), so profiles cannot be stored');
    const db = await openDB<ProfileDb>(name, 1, {
      upgrade(database) {
        const store = database.createObjectStore('profiles', { keyPath: 'id', autoIncrement: true });
        store.createIndex('model', 'model');
      },
    });
    return new ProfileStore(db);
  }

  /** The profiles stored, oldest first; only those of `model` (a fingerprint) when given. */
  async list(model?: string): Promise<StoredProfile[]> {
    return model ? this.db.getAllFromIndex('profiles', 'model', model) : this.db.getAll('profiles');
  }

  /** Stores a profile under a name; returns it with its id. */
  async save(name: string, profile: VoiceProfile): Promise<StoredProfile> {
    const record = { name, model: profile.model, profile } as Omit<StoredProfile, 'id'> as StoredProfile;
    const id = await this.db.add('profiles', record);
    return { ...record, id };
  }

  /** The profile with this id, or undefined. */
  async get(id: number): Promise<StoredProfile | undefined> {
    return this.db.get('profiles', id);
  }

  /** Deletes a profile (nothing of it is left in the store). */
  async delete(id: number): Promise<void> {
    await this.db.delete('profiles', id);
  }

  /** A profile as a file to download (`<name>.dlprofile.json`). */
  static toFile(stored: StoredProfile): File {
    const safe = stored.name.replace(/[^\p{L}\p{N}_-]+/gu, '-') || 'profile';
    return new File([JSON.stringify(stored.profile)], `${safe}.dlprofile.json`, { type: 'application/json' });
  }

  /**
   * Reads a profile file (e.g. from an `<input type=file>`).
   * @throws Error naming the file if it is not a voice profile
   */
  static async fromFile(file: Blob & { readonly name?: string }): Promise<VoiceProfile> {
    return parseProfileFile(await file.text(), file.name ?? 'the file');
  }

  /** Closes the database connection. */
  close(): void {
    this.db.close();
  }
}
