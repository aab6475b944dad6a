// Pull: one page of changes in the caller's scope after the cursor, in version order
// (sync-protocol.md, "Pull semantics").
import {
  DEFAULT_PULL_LIMIT,
  MAX_PULL_LIMIT,
  type PullRequest,
  type PullResponse,
} from '../../shared/index.ts';
import type { PullPage, Store, UserRow } from '../store/store.ts';
import { claimClient } from './clients.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { pullScope, scopeKey } from './scope.ts';
import { wireRecord } from './wire.ts';

export async function pull(
  store: Store,
  user: UserRow,
  req: PullRequest,
  now = new Date(),
): Promise<PullResponse> {
  await claimClient(store, user.id, req.clientId, now.toISOString());
  const limit = Math.min(req.limit ?? DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT);
  const key = scopeKey(user);
  const scope = pullScope(user);
  const decoded = decodeCursor(req.cursor);
  // A cursor that does not decode, or was made for another scope, starts over.
  let reset = req.cursor !== null && (decoded === null || decoded.s !== key);
  const after = decoded !== null && !reset ? decoded.v : 0;

  // One row more than asked tells whether there is another page. Outside a snapshot, records this
  // client created by push and nobody changed since stay out: it holds them as it sent them, and
  // would only download its own upload again. Every page of a snapshot carries them: the client
  // drops what a snapshot does not deliver.
  const fetch = (from: number, first: boolean, snapshot: boolean): Promise<PullPage> =>
    store.pullPage({
      scope,
      afterVersion: from,
      limit: limit + 1,
      includeTombstones: !first,
      ...(snapshot ? {} : { skipCreatesOf: req.clientId }),
    });
  const first = req.cursor === null || reset;
  // A cursor from before snapshots were marked (no `k`) may be in the middle of one: carry all.
  let snapshot = first || decoded?.f === 1 || decoded?.k !== 1;
  let page = await fetch(after, first, snapshot);
  // A cursor from the future (the database was restored from an older backup), one made before the
  // last restore (below its gap, without its mark: the phone may hold records the backup lacks), or
  // one older than the prune horizon (tombstones it has not seen may be gone): start over.
  const restored =
    !reset &&
    req.cursor !== null &&
    (after > page.currentVersion || (after < page.restoredBelow && decoded?.e !== page.restoredBelow));
  if (restored || (!reset && req.cursor !== null && after < page.prunedVersion)) {
    reset = true;
    snapshot = true;
    page = await fetch(0, true, true);
  }

  const hasMore = page.rows.length > limit;
  const rows = hasMore ? page.rows.slice(0, limit) : page.rows;
  // With more to come, resume after the last row handed out. Otherwise the whole scope up to the
  // snapshot's global version has been seen, so the cursor may jump there (an idle client's cursor
  // advances past other scopes' changes). Safe because the rows and the counter come from one
  // snapshot and the counter is bumped inside each write transaction: with one writer at a time,
  // a change not yet committed in that snapshot always gets a version above it.
  const last = rows.at(-1);
  const v = hasMore && last ? last.version : page.currentVersion;
  const response: PullResponse = {
    changes: rows.map((r) => ({
      id: r.id,
      // A record keeps no kind on the wire: older phones read every change as a record.
      ...(r.kind === 'session' ? { kind: 'session' as const } : {}),
      version: r.version,
      deleted: r.deleted,
      data: r.deleted ? null : wireRecord(r),
    })),
    // A snapshot's next page must carry everything too: its cursor says the snapshot goes on.
    cursor: encodeCursor({
      v,
      s: key,
      ...(snapshot && hasMore ? { f: 1 as const } : {}),
      e: page.restoredBelow,
    }),
    hasMore,
  };
  if (reset) response.reset = true;
  if (restored) response.restored = true;
  return response;
}
