// The admin's topic list for group sessions (GET/PUT /api/v1/session-topics, docs/group-sessions.md):
// a new topic's code made from its label, the rules checked before anything is sent (every code
// the commune had stays: retire, never drop), and the two calls. Loaded with the admin's editor.
import {
  ErrorResponse,
  SESSION_TOPICS_MAX,
  SessionTopicsBody,
  type SessionTopic,
} from '../../shared/index.ts';
import { tSessions } from '../i18n/sessions.ts';
import { ApiClient, type ApiResult } from '../sync/api.ts';

/** "Ứng dụng AI" → "ung_dung_ai": lower case, no diacritics, words joined by "_", at most 32. */
export function codeFromLabel(label: string, taken: ReadonlySet<string> = new Set()): string {
  const base =
    label
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 32)
      .replace(/_+$/, '') || 'chu_de';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const code = base.slice(0, 32 - suffix.length) + suffix;
    if (!taken.has(code)) return code;
  }
}

export interface TopicsCheck {
  ok: boolean;
  /** A message per row (by index) for its label field. */
  rows: Record<number, string>;
  /** A message about the list as a whole (a dropped code, too many). */
  list: string | null;
}

/**
 * The rules of a list the admin sends: every label filled and unique, at most the limit, and every
 * code of the list as it was still in it (the server refuses a drop; saying so here keeps the edits).
 */
export function checkTopics(before: readonly SessionTopic[], after: readonly SessionTopic[]): TopicsCheck {
  const rows: Record<number, string> = {};
  const key = (t: SessionTopic) => t.label.trim().toLocaleLowerCase('vi');
  const uses = new Map<string, number>();
  for (const t of after) uses.set(key(t), (uses.get(key(t)) ?? 0) + 1);
  after.forEach((t, i) => {
    const label = t.label.trim();
    if (label === '') rows[i] = tSessions.topicEmpty;
    else if (label.length > 80) rows[i] = tSessions.topicTooLong;
    // Every row of a repeated name is marked: the admin picks which one to change.
    else if ((uses.get(key(t)) ?? 0) > 1) rows[i] = tSessions.topicDuplicate;
  });
  const codes = new Set(after.map((t) => t.code));
  const dropped = before.find((t) => !codes.has(t.code));
  let list: string | null = null;
  if (dropped) list = tSessions.topicDropped(dropped.label);
  else if (after.length > SESSION_TOPICS_MAX) list = tSessions.topicsTooMany(SESSION_TOPICS_MAX);
  else if (
    Object.keys(rows).length === 0 &&
    !SessionTopicsBody.safeParse({ topics: after.map((t) => ({ ...t, label: t.label.trim() })) }).success
  )
    list = tSessions.topicsFailed;
  return { ok: Object.keys(rows).length === 0 && list === null, rows, list };
}

export interface TopicsApiOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
}

/** GET /api/v1/session-topics: the commune's list (the defaults when it has none). */
export function fetchTopics(
  token: string,
  opts: TopicsApiOptions = {},
): Promise<ApiResult<SessionTopicsBody>> {
  return new ApiClient(opts).get(token, '/api/v1/session-topics', SessionTopicsBody);
}

/**
 * PUT /api/v1/session-topics with the whole list. The API client sends GET and POST only, so the
 * PUT is made here with the same rules: success only for a 2xx JSON answer of the expected shape.
 */
export async function saveTopics(
  token: string,
  topics: readonly SessionTopic[],
  opts: TopicsApiOptions = {},
): Promise<ApiResult<SessionTopicsBody>> {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const body = SessionTopicsBody.parse({ topics: topics.map((t) => ({ ...t, label: t.label.trim() })) });
  let res: Response;
  try {
    res = await doFetch(`${opts.baseUrl ?? ''}/api/v1/session-topics`, {
      method: 'PUT',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, failure: { kind: 'network' } };
  }
  const json: unknown = /json/i.test(res.headers.get('content-type') ?? '')
    ? await res.json().catch(() => undefined)
    : undefined;
  if (!res.ok) {
    const err = ErrorResponse.safeParse(json);
    if (!err.success) return { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
    const { code, message } = err.data.error;
    return res.status === 401
      ? { ok: false, failure: { kind: 'unauthorized', status: 401, code, message } }
      : { ok: false, failure: { kind: 'http', status: res.status, code, message } };
  }
  const parsed = SessionTopicsBody.safeParse(json);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
}
