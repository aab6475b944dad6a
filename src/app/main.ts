// Entry point: open the device database, read the session (no network needed), replace the static
// shell with the app, start syncing, and register the service worker with an update prompt.
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './App.svelte';
import { createServices, loadServices, type AppServices } from './services.ts';

async function start(target: HTMLElement): Promise<AppServices> {
  const services = createServices();
  await loadServices(services);
  target.replaceChildren();
  mount(App, { target, props: { services } });
  services.scheduler.start();
  return services;
}

function registerWorker(services: AppServices): void {
  if (import.meta.env.DEV || import.meta.env.MODE === 'test' || !('serviceWorker' in navigator)) return;
  const updateSW = registerSW({
    onNeedRefresh: () => services.pwa.newVersion(() => updateSW(true)),
    onOfflineReady: () => services.pwa.ready(),
    onRegisteredSW: (_url, registration) => {
      if (registration) services.pwa.setChecker(() => registration.update().then(() => undefined));
    },
  });
}

// No top-level await: with one, the bundler splits the entry in two (the lazy conflicts screen
// imports from it), which puts a second file on the critical path.
const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

void start(target).then((services) => {
  registerWorker(services);
  // Ask the browser not to evict our data under storage pressure (records may be unsynced for days).
  if (services.session.current && navigator.storage?.persist) {
    void navigator.storage.persisted().then((yes) => (yes ? true : navigator.storage.persist()));
  }
});
