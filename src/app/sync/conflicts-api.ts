// GET /api/v1/conflicts: the field conflicts a lead can review (both values, who wrote each, in
// which role). Loaded only with the conflicts screen, so the volunteer's bundle does not carry it.
import { ConflictsResponse, type ConflictEntry } from '../../shared/index.ts';
import type { ApiClient, ApiResult } from './api.ts';

export type Conflict = ConflictEntry;

/** Pages asked for at most: the screen shows the newest, a lead reviews a few hundred at a time. */
const MAX_PAGES = 5;

/** Every conflict in the caller's scope, following `hasMore` (up to MAX_PAGES pages). */
export async function fetchConflicts(api: ApiClient, token: string): Promise<ApiResult<Conflict[]>> {
  const all: Conflict[] = [];
  let since: number | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const path: string = since === null ? '/api/v1/conflicts' : `/api/v1/conflicts?since=${since}`;
    const res = await api.get(token, path, ConflictsResponse);
    if (!res.ok) return page === 0 ? res : { ok: true, value: all };
    all.push(...res.value.conflicts);
    const last = res.value.conflicts.at(-1)?.version;
    if (!res.value.hasMore || last === undefined || last === since) break;
    since = last;
  }
  return { ok: true, value: all };
}
