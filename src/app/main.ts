/**
 * The installable app: registers `<digit-listener>` and the Workbox service worker
 * (precaches the shell, worker bundles, wasm and model so a reload offline still works).
 */
import { Workbox } from 'workbox-window';
import '../element/define';

const status = document.getElementById('app-status')!;

function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`);
  // A new version waits until the user chooses to reload (never mid-sentence).
  wb.addEventListener('waiting', () => {
    status.textContent = 'A new version is ready.';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Reload';
    button.addEventListener('click', () => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
    status.append(button);
  });
  wb.addEventListener('activated', (event) => {
    if (!event.isUpdate) status.textContent = 'Ready to work offline.';
  });
  wb.register().catch((error: Error) => {
    status.textContent = `Offline support is unavailable: ${error.message}`;
  });
}

registerServiceWorker();
