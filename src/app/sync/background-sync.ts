// Background Sync where the browser has it (Chromium): after a save the page registers the tag
// `sotay-sync`; when connectivity returns the service worker gets a `sync` event and asks the open
// pages to sync (sw.ts). The worker has no token and no engine, so it never syncs by itself: with
// no page open nothing happens until the app is opened again, which syncs at start.

export const SYNC_TAG = 'sotay-sync';
/** The message the service worker posts to its pages on a `sync` event. */
export const SYNC_REQUEST = 'SYNC_REQUEST';

interface SyncManagerLike {
  register(tag: string): Promise<void>;
}

/** Ask the browser for a `sync` event once online; false where unsupported or refused. */
export async function registerBackgroundSync(): Promise<boolean> {
  try {
    const sw = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
    const reg = await sw?.getRegistration();
    const manager = (reg as (ServiceWorkerRegistration & { sync?: SyncManagerLike }) | undefined)?.sync;
    if (!manager) return false;
    await manager.register(SYNC_TAG);
    return true;
  } catch {
    // Permission denied or an old browser: the other triggers still sync.
    return false;
  }
}

/** Calls `onRequest` whenever the service worker asks this page to sync; returns the unsubscribe. */
export function listenForWorkerSync(onRequest: () => void): () => void {
  const sw = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  if (!sw) return () => undefined;
  const listener = (event: MessageEvent) => {
    if ((event.data as { type?: unknown } | null)?.type === SYNC_REQUEST) onRequest();
  };
  sw.addEventListener('message', listener);
  return () => sw.removeEventListener('message', listener);
}
