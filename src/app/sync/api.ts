// HTTP client of sync protocol v1: gzipped sync bodies, and success only for a 2xx JSON answer that
// parses as the expected message (a captive portal's 200 HTML or a wrong shape is a failure).
import {
  ErrorResponse,
  LoginResponse,
  PullResponse,
  PushResponse,
  type LoginRequest,
  type PullRequest,
  type PushRequest,
} from '../../shared/index.ts';
import type { EnrolRequest } from '../../shared/admin.ts';
import { canGzip, gzipText } from './gzip.ts';

export type ApiFailure =
  /** The request never got an answer (no network, DNS, timeout). */
  | { kind: 'network' }
  /** 401: bad credentials at login, an expired or revoked token elsewhere. */
  | { kind: 'unauthorized'; status: 401; code?: string; message?: string }
  /** A JSON error answer from our server (4xx/5xx with `{error}`). */
  | { kind: 'http'; status: number; code?: string; message?: string }
  /** Something answered, but not our server speaking the protocol. */
  | { kind: 'invalid_answer'; status: number };

export type ApiResult<T> = ({ ok: true; value: T } | { ok: false; failure: ApiFailure }) & {
  /** The server refused the gzipped body and took (or at least parsed) the plain one. */
  gzipRefused?: true;
};

/** Per-request choices. */
export interface SendOptions {
  /** false: send this body plain even if the client gzips (the client's `gzip: false` always wins). */
  gzip?: boolean;
}

export interface Parser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

export interface ApiOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  timeoutMs?: number;
  /** Gzip sync bodies (push, pull) when the runtime can; default true. */
  gzip?: boolean;
  /** Told of every 401 `device_revoked` / `account_disabled` answer: the phone must wipe its data. */
  onRevoked?: (code: RevokedCode) => void;
  /** Told the server's time (its `Date` header, in ms) with every answer of our server. */
  onServerTime?: (serverMs: number) => void;
}

/** The refusals after which a phone wipes its data (docs/operations.md). */
export type RevokedCode = 'device_revoked' | 'account_disabled';
export function isRevokedCode(code: unknown): code is RevokedCode {
  return code === 'device_revoked' || code === 'account_disabled';
}

export class ApiClient {
  readonly #fetch: typeof fetch;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #gzip: boolean;
  #onRevoked: ((code: RevokedCode) => void) | undefined;
  #onServerTime: ((serverMs: number) => void) | undefined;

  constructor(opts: ApiOptions = {}) {
    // Unbound window.fetch throws "Illegal invocation".
    this.#fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.#base = opts.baseUrl ?? '';
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#gzip = opts.gzip ?? true;
    this.#onRevoked = opts.onRevoked;
    this.#onServerTime = opts.onServerTime;
  }

  /** Set (or replace) the listener of the server's time after construction. */
  setOnServerTime(listener: ((serverMs: number) => void) | undefined): void {
    this.#onServerTime = listener;
  }

  /** Set (or replace) the listener of revocation answers after construction. */
  setOnRevoked(listener: ((code: RevokedCode) => void) | undefined): void {
    this.#onRevoked = listener;
  }

  /** A one-time enrolment token (QR code) for this device's own token; answers like login. */
  enrol(body: EnrolRequest): Promise<ApiResult<LoginResponse>> {
    return this.#send('POST', '/api/v1/auth/enrol', JSON.stringify(body), null, LoginResponse, false);
  }

  login(body: LoginRequest): Promise<ApiResult<LoginResponse>> {
    return this.#send('POST', '/api/v1/auth/login', JSON.stringify(body), null, LoginResponse, false);
  }

  /** The answer to a login that index.html's static form sent before the app arrived, read like {@link login}'s. */
  adoptLogin(sent: Promise<Response>): Promise<ApiResult<LoginResponse>> {
    return this.#answer(sent, LoginResponse);
  }

  push(token: string, body: PushRequest, opts: SendOptions = {}): Promise<ApiResult<PushResponse>> {
    return this.#post('/api/v1/sync/push', body, token, PushResponse, opts);
  }

  pull(token: string, body: PullRequest, opts: SendOptions = {}): Promise<ApiResult<PullResponse>> {
    return this.#post('/api/v1/sync/pull', body, token, PullResponse, opts);
  }

  /**
   * Tells the server what this device holds (reconciliation). Answers true on 204; best effort,
   * so any other answer is simply false.
   */
  async reportDevice(token: string, body: unknown): Promise<boolean> {
    try {
      const res = await this.#fetch(this.#base + '/api/v1/devices/report', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        signal: timeoutSignal(this.#timeoutMs),
      });
      if (res.status === 401) {
        const err = ErrorResponse.safeParse(await readJson(res));
        if (err.success && isRevokedCode(err.data.error.code)) this.#onRevoked?.(err.data.error.code);
      }
      return res.status === 204;
    } catch {
      return false;
    }
  }

  /** An authenticated POST of a plain JSON body (screen actions such as a lead's review). */
  postJson<T>(token: string, path: string, body: unknown, parser: Parser<T>): Promise<ApiResult<T>> {
    return this.#send('POST', path, JSON.stringify(body), token, parser, false);
  }

  /** An authenticated GET of a JSON resource (screens that load their own data, e.g. conflicts). */
  get<T>(token: string, path: string, parser: Parser<T>): Promise<ApiResult<T>> {
    return this.#send('GET', path, undefined, token, parser, false);
  }

  async #post<T>(
    path: string,
    body: unknown,
    token: string,
    parser: Parser<T>,
    opts: SendOptions,
  ): Promise<ApiResult<T>> {
    const text = JSON.stringify(body);
    const packed =
      this.#gzip && opts.gzip !== false && canGzip() ? await gzipText(text).catch(() => null) : null;
    if (!packed) return this.#send('POST', path, text, token, parser, false);
    // A server that answers 400/415 to the gzip body gets it again as plain JSON; the result says
    // so (`gzipRefused`) for the caller to remember.
    const first = await this.#send('POST', path, packed, token, parser, true);
    if (first.ok || !refusesBody(first.failure)) return first;
    // 400/415 to a gzipped body: a server without gzip support. The same body in plain JSON tells.
    const plain = await this.#send('POST', path, text, token, parser, false);
    if (!plain.ok && (plain.failure.kind === 'network' || refusesBody(plain.failure))) return plain;
    return { ...plain, gzipRefused: true };
  }

  async #send<T>(
    method: 'GET' | 'POST',
    path: string,
    body: string | Uint8Array<ArrayBuffer> | undefined,
    token: string | null,
    parser: Parser<T>,
    gzipped: boolean,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (gzipped) headers['content-encoding'] = 'gzip';
    if (token) headers.authorization = `Bearer ${token}`;
    let sent: Promise<Response>;
    try {
      sent = this.#fetch(this.#base + path, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        credentials: 'omit',
        cache: 'no-store',
        signal: timeoutSignal(this.#timeoutMs),
      });
    } catch (err) {
      sent = Promise.reject(err);
    }
    return this.#answer(sent, parser);
  }

  async #answer<T>(sent: Promise<Response>, parser: Parser<T>): Promise<ApiResult<T>> {
    let res: Response;
    try {
      res = await sent;
    } catch {
      return { ok: false, failure: { kind: 'network' } };
    }
    const json = await readJson(res);
    if (res.status === 401 || !res.ok) {
      const err = json === undefined ? null : ErrorResponse.safeParse(json);
      if (!err?.success) {
        // Not our server's error shape: treat a bare 401 as auth, anything else as a foreign answer.
        return res.status === 401
          ? { ok: false, failure: { kind: 'unauthorized', status: 401 } }
          : { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
      }
      this.#serverTime(res);
      const { code, message } = err.data.error;
      if (res.status === 401 && isRevokedCode(code)) this.#onRevoked?.(code);
      return res.status === 401
        ? { ok: false, failure: { kind: 'unauthorized', status: 401, code, message } }
        : { ok: false, failure: { kind: 'http', status: res.status, code, message } };
    }
    const parsed = json === undefined ? null : parser.safeParse(json);
    if (!parsed?.success) return { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
    this.#serverTime(res);
    return { ok: true, value: parsed.data };
  }

  /** Only an answer that is our server's (it parsed): a captive portal's clock tells nothing. */
  #serverTime(res: Response): void {
    const at = Date.parse(res.headers.get('date') ?? '');
    if (Number.isFinite(at)) this.#onServerTime?.(at);
  }
}

/** The answer a server gives to a body it cannot read (here: a gzip body it does not inflate). */
function refusesBody(f: ApiFailure): boolean {
  return f.kind !== 'network' && (f.status === 400 || f.status === 415);
}

function timeoutSignal(ms: number): AbortSignal | undefined {
  return typeof AbortSignal !== 'undefined' && typeof AbortSignal.timeout === 'function'
    ? AbortSignal.timeout(ms)
    : undefined;
}

/** The body as JSON, or undefined when it is not a JSON answer at all. */
async function readJson(res: Response): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) return undefined;
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}
