// A tiny in-memory server honouring sync protocol v1 (login, push, pull), used as `fetch` in tests.
// It keeps per-client acked seqs and stored results, one version counter, and lets a test inject
// faults (captive-portal HTML, 503, 401, 426, truncated acks, rejections, hooks while a request is
// open). It inflates gzip bodies like the real server, or refuses them like an older one. Like the
// real server, a mutationId written once answers `applied` again for the same mutation and
// `rejected` (mutation_id_reused) for another record or payload. Group sessions (kind 'session')
// share the seqs and the version counter, and are kept apart from records. A plan of push faults
// (`pushFaults`) drops answers, acknowledges part of a push, fails with 503 or forgets the client.
import {
  ERRORS,
  LoginRequest,
  PullRequest,
  PushRequest,
  applyPatch,
  validateRecord,
  validateSession,
  type LoginResponse,
  type MutationResult,
  type SessionTopic,
} from '../../../src/shared/index.ts';

export const HAMLETS = [
  { id: 'h1', name: 'Thôn Đông' },
  { id: 'h2', name: 'Thôn Tây' },
  { id: 'h3', name: 'Ấp Bắc' },
];

export const USER = {
  id: 'u-tnv',
  username: 'demo-tnv',
  displayName: 'Nguyễn Văn A',
  role: 'volunteer' as const,
  communeCode: '00001',
  teamId: 't1',
};

export function loginResponse(token = 'token-0123456789abcdef'): LoginResponse {
  return { token, user: USER, commune: { code: '00001', name: 'Xã Thử Nghiệm', hamlets: HAMLETS } };
}

interface Stored {
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
}

type Hook = () => Promise<void> | void;

/**
 * What one push meets: `drop` stores it and loses the answer (the phone sees no network), `503`
 * stores nothing, `forget` first takes every client's acked seq back to half of it (a server restored
 * from an older backup, here one that kept the records), `{ partial: n }` processes at most n of
 * its mutations.
 */
export type PushFault = 'drop' | '503' | 'forget' | { partial: number };

export class FakeServer {
  readonly token = 'token-0123456789abcdef';
  version = 0;
  readonly records = new Map<string, Stored>();
  /** Group sessions, by id, on the same version counter as records. */
  readonly sessions = new Map<string, Stored>();
  /** Sent with the last pull page when set, as the commune's session topics. */
  sessionTopics: SessionTopic[] | null = null;
  readonly clients = new Map<string, { lastSeq: number; results: Map<number, MutationResult> }>();
  /** Written mutations by id: what they asked for (JSON of record, op, base version and patch). */
  readonly mutations = new Map<string, string>();
  /** Every request body, by path, with its Content-Encoding and size on the wire. */
  readonly log: { path: string; body: unknown; encoding: string | null; bytes: number }[] = [];
  /** Answer the next N requests to this path with a fault instead. */
  faults: { path: string; kind: 'html' | '503' | '401' | '426' | 'network' | 'json-as-text' }[] = [];
  /** Like a server without gzip support: a gzip body is answered with this status (400 or 415). */
  refuseGzip: 400 | 415 | null = null;
  /** Answer the next pull as from cursor null with `reset: true` (the scope changed). */
  resetNextPull = false;
  /** Records outside the caller's scope now (pull never sends them). */
  readonly outOfScope = new Set<string>();
  /** Process at most this many mutations of the next push (then forget the limit). */
  truncateNextPush: number | null = null;
  /** Faults of the next pushes, one per push in order (after the `faults` above); empty: none. */
  readonly pushFaults: PushFault[] = [];
  /** How many times each mutation id changed the store (an answer again from its stored result does not). */
  readonly writes = new Map<string, number>();
  onPush: Hook | null = null;
  onPull: Hook | null = null;
  inFlight = 0;
  maxInFlight = 0;

  /** The server's clock: when set, every answer carries it in a `Date` header, as a real server's. */
  serverTime: (() => Date) | null = null;

  readonly fetch: typeof fetch = async (input, init) => {
    const res = await this.#answer(input, init);
    if (this.serverTime) res.headers.set('date', this.serverTime().toUTCString());
    return res;
  };

  readonly #answer: typeof fetch = async (input, init) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    const encoding = new Headers(init?.headers).get('content-encoding');
    if (encoding === 'gzip' && this.refuseGzip) {
      this.log.push({ path, body: undefined, encoding, bytes: byteLength(init?.body) });
      return json(this.refuseGzip, { error: { code: 'invalid_json', message: 'Không phải JSON.' } });
    }
    const body = await readBody(init?.body, encoding);
    this.log.push({ path, body, encoding, bytes: byteLength(init?.body) });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 1));
      const i = this.faults.findIndex((f) => path.endsWith(f.path));
      if (i >= 0) {
        const [fault] = this.faults.splice(i, 1);
        if (fault!.kind === 'network') throw new TypeError('Failed to fetch');
        if (fault!.kind === 'html')
          return new Response('<html><body>Wi-Fi login</body></html>', {
            status: 200,
            headers: { 'content-type': 'text/html' },
          });
        if (fault!.kind === 'json-as-text')
          return new Response(
            JSON.stringify({ ackedSeq: 1, results: [{ seq: 1, status: 'applied', version: 1 }] }),
            {
              status: 200,
              headers: { 'content-type': 'text/plain' },
            },
          );
        if (fault!.kind === '401') return json(401, { error: { code: 'unauthorized', message: 'Hết hạn' } });
        if (fault!.kind === '426')
          return json(426, { error: { code: 'schema_too_old', message: 'Ứng dụng đã cũ.' } });
        return json(503, { error: { code: 'unavailable', message: 'Máy chủ đang bận.' } });
      }
      if (path.endsWith('/api/v1/auth/login')) return this.#login(body);
      const auth = new Headers(init?.headers).get('authorization');
      if (auth !== `Bearer ${this.token}`)
        return json(401, { error: { code: 'unauthorized', message: 'x' } });
      if (path.endsWith('/api/v1/sync/push')) {
        await this.onPush?.();
        const fault = this.pushFaults.shift();
        if (fault === '503')
          return json(503, { error: { code: 'unavailable', message: 'Máy chủ đang bận.' } });
        if (fault === 'forget') this.#rollBackClients();
        if (typeof fault === 'object') this.truncateNextPush = fault.partial;
        const answer = this.#push(body);
        if (fault === 'drop') throw new TypeError('Failed to fetch');
        return answer;
      }
      if (path.endsWith('/api/v1/sync/pull')) {
        await this.onPull?.();
        return this.#pull(body);
      }
      return json(404, { error: { code: 'not_found', message: 'Không tìm thấy.' } });
    } finally {
      this.inFlight--;
    }
  };

  pushes(): PushRequest[] {
    return this.log.filter((l) => l.path.endsWith('/sync/push')).map((l) => l.body as PushRequest);
  }

  /** A change made elsewhere (another device, a lead). */
  writeElsewhere(id: string, data: Record<string, unknown>): number {
    const prev = this.records.get(id);
    const version = ++this.version;
    this.records.set(id, { version, deleted: false, data: applyPatch(prev?.data ?? {}, data) });
    return version;
  }

  deleteElsewhere(id: string): void {
    const prev = this.records.get(id);
    this.records.set(id, { version: ++this.version, deleted: true, data: prev?.data ?? { id } });
  }

  /** A session written elsewhere (another device, a lead). */
  writeSessionElsewhere(id: string, data: Record<string, unknown>): number {
    const prev = this.sessions.get(id);
    const version = ++this.version;
    this.sessions.set(id, { version, deleted: false, data: applyPatch(prev?.data ?? {}, data) });
    return version;
  }

  deleteSessionElsewhere(id: string): void {
    const prev = this.sessions.get(id);
    this.sessions.set(id, { version: ++this.version, deleted: true, data: prev?.data ?? { id } });
  }

  #login(body: unknown): Response {
    const req = LoginRequest.safeParse(body);
    if (!req.success)
      return json(400, { error: { code: 'invalid_request', message: 'Yêu cầu không hợp lệ.' } });
    if (req.data.username !== USER.username || req.data.password !== 'demo')
      return json(401, { error: { code: 'bad_credentials', message: 'Sai tên đăng nhập hoặc mật khẩu.' } });
    return json(200, loginResponse(this.token));
  }

  #push(body: unknown): Response {
    const req = PushRequest.safeParse(body);
    if (!req.success)
      return json(400, { error: { code: 'invalid_request', message: 'Yêu cầu không hợp lệ.' } });
    const client = this.clients.get(req.data.clientId) ?? { lastSeq: 0, results: new Map() };
    this.clients.set(req.data.clientId, client);
    const results: MutationResult[] = [];
    let budget = this.truncateNextPush ?? Infinity;
    this.truncateNextPush = null;
    for (const m of req.data.mutations) {
      if (m.seq <= client.lastSeq) {
        const again = client.results.get(m.seq);
        if (again) results.push(again);
        continue;
      }
      if (m.seq > client.lastSeq + 1 || budget-- <= 0) break;
      const session = m.kind === 'session';
      const store = session ? this.sessions : this.records;
      const prev = store.get(m.recordId);
      const payload = JSON.stringify([
        m.kind ?? 'record',
        m.recordId,
        m.op,
        m.baseVersion ?? 0,
        m.patch ?? {},
      ]);
      const earlier = this.mutations.get(m.mutationId);
      let result: MutationResult;
      if (earlier !== undefined && earlier !== payload)
        result = {
          seq: m.seq,
          status: 'rejected',
          error: { code: 'mutation_id_reused', message: ERRORS.mutation_id_reused.vi },
        };
      else if (earlier !== undefined)
        result = prev
          ? { seq: m.seq, status: 'applied', version: prev.version }
          : { seq: m.seq, status: 'applied' };
      else if (prev?.deleted) result = { seq: m.seq, status: 'gone' };
      else if (m.op === 'delete') {
        store.set(m.recordId, { version: ++this.version, deleted: true, data: prev?.data ?? {} });
        this.#wrote(m.mutationId);
        result = { seq: m.seq, status: 'applied', version: this.version };
      } else {
        const merged = applyPatch(prev?.data ?? {}, m.patch ?? {});
        const own = Object.fromEntries(
          Object.entries(merged).filter(([k]) => !['teamId', 'communeCode'].includes(k)),
        );
        const hamletIds = new Set(HAMLETS.map((h) => h.id));
        const check = session ? validateSession(own, { hamletIds }) : validateRecord(own, { hamletIds });
        if (!check.ok) {
          result = {
            seq: m.seq,
            status: 'rejected',
            error: {
              code: 'invalid_record',
              message: 'Bản ghi có trường không hợp lệ.',
              details: { fields: check.issues },
            },
          };
        } else {
          const data = { ...check.value, volunteerId: USER.id, teamId: 't1', communeCode: '00001' };
          store.set(m.recordId, { version: ++this.version, deleted: false, data });
          this.#wrote(m.mutationId);
          result = {
            seq: m.seq,
            status: prev && prev.version !== m.baseVersion ? 'merged' : 'applied',
            version: this.version,
          };
          if (result.status === 'merged') result.record = data;
        }
      }
      if (result.status !== 'rejected' && result.status !== 'gone') this.mutations.set(m.mutationId, payload);
      client.lastSeq = m.seq;
      client.results.set(m.seq, result);
      results.push(result);
    }
    return json(200, { ackedSeq: client.lastSeq, results });
  }

  /** Every client's acked seq back to half of it, as a backup taken earlier holds it. */
  #rollBackClients(): void {
    for (const client of this.clients.values()) {
      client.lastSeq = Math.floor(client.lastSeq / 2);
      for (const seq of client.results.keys()) if (seq > client.lastSeq) client.results.delete(seq);
    }
  }

  #wrote(mutationId: string): void {
    this.writes.set(mutationId, (this.writes.get(mutationId) ?? 0) + 1);
  }

  #pull(body: unknown): Response {
    const req = PullRequest.safeParse(body);
    if (!req.success)
      return json(400, { error: { code: 'invalid_request', message: 'Yêu cầu không hợp lệ.' } });
    const reset = this.resetNextPull;
    this.resetNextPull = false;
    const cursor = reset ? null : req.data.cursor;
    const after = cursor === null ? 0 : Number(cursor);
    const limit = req.data.limit ?? 500;
    const rows = [
      ...[...this.records.entries()].map(([id, r]) => ({ id, r, session: false })),
      ...[...this.sessions.entries()].map(([id, r]) => ({ id, r, session: true })),
    ]
      .filter(({ id, r }) => r.version > after && !(cursor === null && r.deleted) && !this.outOfScope.has(id))
      .sort((a, b) => a.r.version - b.r.version);
    const page = rows.slice(0, limit);
    const last = page.length ? page[page.length - 1]!.r.version : Math.max(after, 0);
    const hasMore = rows.length > limit;
    return json(200, {
      changes: page.map(({ id, r, session }) => ({
        id,
        ...(session ? { kind: 'session' } : {}),
        version: r.version,
        deleted: r.deleted,
        data: r.deleted ? null : r.data,
      })),
      cursor: String(cursor === null && page.length === 0 ? this.version : last),
      hasMore,
      ...(reset ? { reset: true } : {}),
      ...(!hasMore && this.sessionTopics ? { sessionTopics: this.sessionTopics } : {}),
    });
  }
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

function byteLength(body: BodyInit | null | undefined): number {
  if (typeof body === 'string') return new TextEncoder().encode(body).length;
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return body.byteLength;
  return 0;
}

/** The JSON a request carried, inflating a gzip body first. */
export async function readBody(body: BodyInit | null | undefined, encoding: string | null): Promise<unknown> {
  if (body === undefined || body === null) return undefined;
  if (encoding === 'gzip') {
    const bytes = body instanceof Uint8Array ? body : new Uint8Array(body as ArrayBuffer);
    const stream = new Response(bytes).body!.pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
  }
  return JSON.parse(String(body));
}
