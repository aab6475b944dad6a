// Entry point: open the device database, read the session (no network needed), replace the static
// shell with the app, start syncing, and register the service worker with an update prompt.
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './App.svelte';
import { createServices, loadServices } from './services.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

const services = createServices();
await loadServices(services);
target.replaceChildren();
mount(App, { target, props: { services } });
services.scheduler.start();

if (!import.meta.env.DEV && import.meta.env.MODE !== 'test' && 'serviceWorker' in navigator) {
  const updateSW = registerSW({
    onNeedRefresh: () => services.pwa.newVersion(() => updateSW(true)),
    onOfflineReady: () => services.pwa.ready(),
  });
}

// Ask the browser not to evict our data under storage pressure (records may be unsynced for days).
if (services.session.current && navigator.storage?.persist) {
  void navigator.storage.persisted().then((yes) => (yes ? true : navigator.storage.persist()));
}
