// HTTP client of sync protocol v1. Only a 2xx JSON answer that parses as the expected message is a
// success: a captive portal's 200 HTML, a proxy's error page or a wrong shape are failures.
import {
  ErrorResponse,
  LoginResponse,
  PullResponse,
  PushResponse,
  type LoginRequest,
  type PullRequest,
  type PushRequest,
} from '../../shared/index.ts';

export type ApiFailure =
  /** The request never got an answer (no network, DNS, timeout). */
  | { kind: 'network' }
  /** 401: bad credentials at login, an expired or revoked token elsewhere. */
  | { kind: 'unauthorized'; status: 401; code?: string; message?: string }
  /** A JSON error answer from our server (4xx/5xx with `{error}`). */
  | { kind: 'http'; status: number; code?: string; message?: string }
  /** Something answered, but not our server speaking the protocol. */
  | { kind: 'invalid_answer'; status: number };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

interface Parser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

export interface ApiOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  timeoutMs?: number;
}

export class ApiClient {
  readonly #fetch: typeof fetch;
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(opts: ApiOptions = {}) {
    // Unbound window.fetch throws "Illegal invocation".
    this.#fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.#base = opts.baseUrl ?? '';
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
  }

  login(body: LoginRequest): Promise<ApiResult<LoginResponse>> {
    return this.#post('/api/v1/auth/login', body, null, LoginResponse);
  }

  push(token: string, body: PushRequest): Promise<ApiResult<PushResponse>> {
    return this.#post('/api/v1/sync/push', body, token, PushResponse);
  }

  pull(token: string, body: PullRequest): Promise<ApiResult<PullResponse>> {
    return this.#post('/api/v1/sync/pull', body, token, PullResponse);
  }

  async #post<T>(
    path: string,
    body: unknown,
    token: string | null,
    parser: Parser<T>,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.#fetch(this.#base + path, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        signal: timeoutSignal(this.#timeoutMs),
      });
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
      const { code, message } = err.data.error;
      return res.status === 401
        ? { ok: false, failure: { kind: 'unauthorized', status: 401, code, message } }
        : { ok: false, failure: { kind: 'http', status: res.status, code, message } };
    }
    const parsed = json === undefined ? null : parser.safeParse(json);
    if (!parsed?.success) return { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
    return { ok: true, value: parsed.data };
  }
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
