// The screens only some roles open (the dashboard, the admin's screens) are not in the precache
// every phone downloads at install. A signed-in phone of such a role fetches them into this cache
// while online; the service worker answers from it offline (sw.ts). The build lists the files per
// role in /role-chunks.json (vite.config.ts, roleChunks).

export const ROLE_CHUNKS_CACHE = 'sotay-role-chunks';
export const ROLE_CHUNKS_URL = '/role-chunks.json';

export interface WarmResult {
  /** Files fetched now. */
  fetched: number;
  /** Files of older versions dropped from the cache. */
  dropped: number;
}

/**
 * Caches the files `role` needs beyond the precache, dropping other versions' files. Offline, on a
 * browser without the Cache API, or when the list cannot be fetched (dev server), it does nothing.
 */
export async function warmRoleChunks(
  role: string,
  deps: { fetch?: typeof fetch; caches?: CacheStorage; online?: boolean } = {},
): Promise<WarmResult> {
  const none = { fetched: 0, dropped: 0 };
  const store = deps.caches ?? globalThis.caches;
  const online = deps.online ?? (typeof navigator === 'undefined' || navigator.onLine);
  if (!store || !online) return none;
  const doFetch = deps.fetch ?? fetch;
  let lists: Record<string, string[]>;
  try {
    const res = await doFetch(ROLE_CHUNKS_URL, { cache: 'no-cache' });
    if (!res.ok) return none;
    lists = (await res.json()) as Record<string, string[]>;
  } catch {
    return none;
  }
  const wanted = new Set(lists[role] ?? []);
  const every = new Set(Object.values(lists).flat());
  const cache = await store.open(ROLE_CHUNKS_CACHE);
  const held = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
  let dropped = 0;
  for (const path of held) if (!every.has(path) && (await cache.delete(path))) dropped++;
  const missing = [...wanted].filter((path) => !held.has(path));
  if (missing.length > 0) await cache.addAll(missing);
  return { fetched: missing.length, dropped };
}
