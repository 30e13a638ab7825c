/**
 * The installable app: registers `<digit-listener>` and the Workbox service worker
 * (precaches the shell, worker bundles, wasm and model so a reload offline still works).
 */
import { messageSW, Workbox } from 'workbox-window';
import '../element/define';
import { setUpVoices } from './voices';

const status = document.getElementById('app-status')!;

/**
 * Offers a waiting new version with a Reload button. It never activates by itself: a kiosk or a
 * person mid-sentence keeps listening until they choose to reload.
 */
function offerUpdate(registration: ServiceWorkerRegistration): void {
  const waiting = registration.waiting;
  if (!waiting || !navigator.serviceWorker.controller || status.querySelector('button')) return;
  status.textContent = 'A new version is ready. Listening goes on until you reload.';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Reload';
  button.addEventListener('click', () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void messageSW(waiting, { type: 'SKIP_WAITING' });
  });
  status.append(button);
}

/** Calls {@link offerUpdate} once `worker` (a new version being installed) is installed. */
function whenInstalled(registration: ServiceWorkerRegistration, worker: ServiceWorker | null): void {
  if (!worker) return;
  const check = () => worker.state === 'installed' && offerUpdate(registration);
  worker.addEventListener('statechange', check);
  check();
}

async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`);
  wb.addEventListener('activated', (event) => {
    if (!event.isUpdate) status.textContent = 'Ready to work offline.';
  });
  let registration: ServiceWorkerRegistration | undefined;
  try {
    registration = await wb.register();
  } catch (error) {
    status.textContent = `Offline support is unavailable: ${(error as Error).message}`;
    return;
  }
  if (!registration) return;
  // Native events rather than workbox-window's `waiting`, which misses a version found by an
  // update check that started before register() resolved.
  offerUpdate(registration);
  whenInstalled(registration, registration.installing);
  registration.addEventListener('updatefound', () => whenInstalled(registration, registration.installing));
}

void registerServiceWorker();
void setUpVoices(document.querySelector('digit-listener')!);
