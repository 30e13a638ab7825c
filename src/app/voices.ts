/**
 * The app's "Your voice" section: enrollment (the element's `startEnrollment()`), and the voice
 * profiles kept in this browser (IndexedDB, `ProfileStore`): pick one, export it to a file,
 * import one, delete it. Profiles of another model version are listed nowhere (the store is
 * filtered by model) and refused if imported.
 */
import type { DigitListener } from '../element/digit-listener';
import { ProfileStore, type StoredProfile } from '../session/profile-store';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Wires the section to `listener`. */
export async function setUpVoices(listener: DigitListener): Promise<void> {
  const select = $<HTMLSelectElement>('profile-select');
  const status = $('profile-status');
  let store: ProfileStore;
  try {
    store = await ProfileStore.open();
  } catch (error) {
    status.textContent = `Voice profiles cannot be kept here: ${(error as Error).message}`;
    return;
  }
  let profiles: StoredProfile[] = [];
  const refresh = async (selected = select.value) => {
    profiles = await store.list();
    select.replaceChildren(
      new Option('General (no profile)', ''),
      ...profiles.map((p) => new Option(`${p.name} (${new Date(p.profile.createdAt).toLocaleDateString()})`, String(p.id))),
    );
    select.value = profiles.some((p) => String(p.id) === selected) ? selected : '';
  };
  const current = () => profiles.find((p) => String(p.id) === select.value);
  await refresh();

  $('teach').addEventListener('click', () => void listener.startEnrollment());
  listener.addEventListener('profile-change', (event) => {
    const { profile } = (event as CustomEvent<{ profile: StoredProfile['profile'] }>).detail;
    const name = `Profile ${profiles.length + 1}`;
    void store.save(name, profile).then(async (saved) => {
      await refresh(String(saved.id));
      status.textContent = `Saved as "${name}" and in use.`;
    });
  });
  select.addEventListener('change', () => {
    const chosen = current();
    listener.profile = chosen?.profile ?? null;
    status.textContent = chosen ? `Using "${chosen.name}".` : 'Using the general model.';
  });
  $('profile-export').addEventListener('click', () => {
    const chosen = current();
    if (!chosen) return void (status.textContent = 'Choose a profile to export.');
    const file = ProfileStore.toFile(chosen);
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(file), download: file.name });
    link.click();
    URL.revokeObjectURL(link.href);
  });
  $('profile-delete').addEventListener('click', () => {
    const chosen = current();
    if (!chosen) return void (status.textContent = 'Choose a profile to delete.');
    void store.delete(chosen.id).then(async () => {
      listener.profile = null;
      await refresh('');
      status.textContent = `Deleted "${chosen.name}"; using the general model.`;
    });
  });
  $<HTMLInputElement>('profile-import').addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    void ProfileStore.fromFile(file)
      .then(async (profile) => {
        const saved = await store.save(file.name.replace(/\.dlprofile\.json$|\.json$/, ''), profile);
        await refresh(String(saved.id));
        listener.profile = profile;
        status.textContent = `Imported "${saved.name}" and in use.`;
      })
      .catch((error: unknown) => (status.textContent = (error as Error).message));
  });
}
