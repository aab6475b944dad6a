/// <reference lib="webworker" />
// The service worker: precache the shell so it opens offline, answer navigations with index.html,
// never touch /api/, update only when asked, and pass Background Sync's `sync` on to the pages.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { ROLE_CHUNKS_CACHE } from './state/role-chunks.ts';
import { SYNC_REQUEST, SYNC_TAG } from './sync/background-sync.ts';

declare let self: ServiceWorkerGlobalScope;

/** Background Sync's event (Chromium); not in TypeScript's webworker lib. */
interface BackgroundSyncEvent extends ExtendableEvent {
  readonly tag: string;
}

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }));
// A role's own screens, cached by the page after login (state/role-chunks.ts): hashed file names
// never change content, so the cached copy is always right. Precached files matched above first.
// Vary is ignored: the page stores these with its own fetches, whose headers differ from a module
// script's request, and a file that loaded before the worker existed is only in the cache that way.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
  new CacheFirst({ cacheName: ROLE_CHUNKS_CACHE, matchOptions: { ignoreVary: true } }),
);

// The first install takes control at once; later versions wait for the user's "Cập nhật".
clientsClaim();

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The worker holds no token and runs no engine: on `sync` it asks the open pages to sync (they do,
// one at a time under the Web Lock). With no page open nothing happens; the next start syncs.
async function askPagesToSync(): Promise<void> {
  const pages = await self.clients.matchAll({ type: 'window' });
  // Every open tab asks; the Web Lock lets one of them push, the others wait or hear the status.
  for (const page of pages) page.postMessage({ type: SYNC_REQUEST });
}

self.addEventListener('sync', (event: Event) => {
  const e = event as BackgroundSyncEvent;
  if (e.tag === SYNC_TAG) e.waitUntil(askPagesToSync());
});
