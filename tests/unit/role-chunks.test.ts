// A signed-in lead or office phone caches the screens left out of the precache: only its role's
// files, only the missing ones, dropping files of older versions; offline or without a list, nothing.
import { describe, expect, it } from 'vitest';
import { ROLE_CHUNKS_CACHE, ROLE_CHUNKS_URL, warmRoleChunks } from '../../src/app/state/role-chunks.ts';

const ORIGIN = 'https://xa.example';

/** A CacheStorage holding one cache, keyed by path; `addAll` fetches nothing, it records. */
function fakeCaches(held: string[] = []) {
  const paths = new Set(held);
  const opened: string[] = [];
  const cache = {
    keys: async () => [...paths].map((p) => new Request(ORIGIN + p)),
    delete: async (path: string) => paths.delete(path),
    addAll: async (list: string[]) => {
      for (const p of list) paths.add(p);
    },
  };
  const caches = {
    open: async (name: string) => {
      opened.push(name);
      return cache;
    },
  } as unknown as CacheStorage;
  return { caches, paths, opened };
}

const LISTS = {
  lead: ['/assets/DashboardScreen-new.js', '/assets/report-new.js'],
  admin: ['/assets/DashboardScreen-new.js', '/assets/report-new.js', '/assets/AdminScreen-new.js'],
};
const listFetch = (async (url: string) => {
  expect(url).toBe(ROLE_CHUNKS_URL);
  return new Response(JSON.stringify(LISTS), { status: 200 });
}) as typeof fetch;

describe('warmRoleChunks', () => {
  it("caches the role's missing files and drops an older version's", async () => {
    const store = fakeCaches(['/assets/report-new.js', '/assets/DashboardScreen-old.js']);
    const out = await warmRoleChunks('lead', { fetch: listFetch, caches: store.caches, online: true });
    expect(out).toEqual({ fetched: 1, dropped: 1 });
    expect([...store.paths].sort()).toEqual(['/assets/DashboardScreen-new.js', '/assets/report-new.js']);
    expect(store.opened).toEqual([ROLE_CHUNKS_CACHE]);
  });

  it("leaves another role's current files alone (one phone, two accounts)", async () => {
    const store = fakeCaches(['/assets/AdminScreen-new.js']);
    const out = await warmRoleChunks('lead', { fetch: listFetch, caches: store.caches, online: true });
    expect(out).toEqual({ fetched: 2, dropped: 0 });
    expect(store.paths.has('/assets/AdminScreen-new.js')).toBe(true);
  });

  it('does nothing offline, for an unknown role, or when the list is not there', async () => {
    const store = fakeCaches();
    expect(await warmRoleChunks('lead', { fetch: listFetch, caches: store.caches, online: false })).toEqual({
      fetched: 0,
      dropped: 0,
    });
    expect(store.opened).toEqual([]);
    expect(
      await warmRoleChunks('volunteer', { fetch: listFetch, caches: store.caches, online: true }),
    ).toEqual({
      fetched: 0,
      dropped: 0,
    });
    const missing = (async () => new Response('not found', { status: 404 })) as typeof fetch;
    expect(await warmRoleChunks('lead', { fetch: missing, caches: store.caches, online: true })).toEqual({
      fetched: 0,
      dropped: 0,
    });
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await warmRoleChunks('lead', { fetch: down, caches: store.caches, online: true })).toEqual({
      fetched: 0,
      dropped: 0,
    });
    expect(store.paths.size).toBe(0);
  });
});
