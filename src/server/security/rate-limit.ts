// Request limits: a global per-session (or per-IP without a session) limit through
// @fastify/rate-limit, with push and pull counted apart under a much larger budget of their own (a
// phone syncing a backlog sends them back to back), a tighter per-IP limit on login, and a
// per-username failure throttle that slows answers after a few wrong passwords and then refuses
// with 429 until a lock expires.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/index.ts';
import { bearerToken, hashToken } from '../auth/tokens.ts';

export interface RateLimits {
  /** Requests per minute per session token (per IP without one), on every route but login and static files. */
  perSessionPerMinute: number;
  /**
   * Push and pull requests per minute per session (per IP without one), counted apart from the
   * rest: a phone pushing maxMutations back to back as fast as the server answers stays below it.
   */
  syncPerSessionPerMinute: number;
  /** Login attempts per minute per client IP, right or wrong. */
  loginPerIpPerMinute: number;
  /** Wrong passwords in a row for one username answered at full speed. */
  loginFreeFailures: number;
  /** The first slowed answer waits this long; each further failure doubles it, up to the max. */
  loginDelayMs: number;
  loginMaxDelayMs: number;
  /** Wrong passwords in a row after which the username is locked… */
  loginLockFailures: number;
  /** …for this long (429 with Retry-After), even with the right password. */
  loginLockMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  perSessionPerMinute: 600,
  syncPerSessionPerMinute: 3000,
  loginPerIpPerMinute: 60,
  loginFreeFailures: 3,
  loginDelayMs: 500,
  loginMaxDelayMs: 8000,
  loginLockFailures: 10,
  loginLockMs: 15 * 60 * 1000,
};

/** Usernames tracked at most; the oldest is forgotten first (memory stays bounded under a spray). */
const MAX_TRACKED = 10_000;

function retryAfter(seconds: number): AppError {
  return new AppError('rate_limited', { retryAfterSeconds: Math.max(1, Math.ceil(seconds)) });
}

/** The sync routes, whose requests count against `syncPerSessionPerMinute`. */
const SYNC_ROUTES = new Set(['/api/v1/sync/push', '/api/v1/sync/pull']);

function isSync(request: FastifyRequest): boolean {
  return SYNC_ROUTES.has(request.routeOptions.url ?? '');
}

export function registerRateLimit(app: FastifyInstance, limits: RateLimits): Promise<void> {
  return app.register(rateLimit, {
    global: true,
    max: (request: FastifyRequest) =>
      isSync(request) ? limits.syncPerSessionPerMinute : limits.perSessionPerMinute,
    timeWindow: 60_000,
    // Phones behind one commune NAT share an IP but not a session: count per token when there is one.
    keyGenerator: (request: FastifyRequest) => {
      const token = bearerToken(request.headers.authorization);
      const who = token ? `s:${hashToken(token).slice(0, 32)}` : `ip:${request.ip}`;
      return isSync(request) ? `sync:${who}` : who;
    },
    errorResponseBuilder: (_request, context) => retryAfter(context.ttl / 1000),
  }) as unknown as Promise<void>;
}

/** `config.rateLimit` of the login route: per IP, whatever the username. */
export function loginRateLimit(limits: RateLimits): {
  max: number;
  timeWindow: number;
  keyGenerator: (request: FastifyRequest) => string;
} {
  return {
    max: limits.loginPerIpPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `login:${request.ip}`,
  };
}

interface Failures {
  count: number;
  lockedUntil: number;
}

/**
 * Per-username failure counting, in this process's memory (a restart forgets; with several server
 * processes each counts its own share — the per-IP limit still holds per process).
 */
export class LoginThrottle {
  readonly #limits: RateLimits;
  readonly #now: () => number;
  readonly #failures = new Map<string, Failures>();

  constructor(limits: RateLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** The key for a typed username: trimmed, lower case, NFC (the same person typing it twice). */
  static key(username: string): string {
    return username.normalize('NFC').trim().toLowerCase();
  }

  /** Milliseconds this attempt waits before it is checked; throws 429 while the username is locked. */
  delayFor(key: string): number {
    const f = this.#failures.get(key);
    if (!f) return 0;
    const now = this.#now();
    if (f.lockedUntil > now) throw retryAfter((f.lockedUntil - now) / 1000);
    if (f.lockedUntil !== 0) {
      // The lock has run out: start again.
      this.#failures.delete(key);
      return 0;
    }
    const over = f.count - this.#limits.loginFreeFailures;
    if (over < 0) return 0;
    return Math.min(this.#limits.loginDelayMs * 2 ** over, this.#limits.loginMaxDelayMs);
  }

  failed(key: string): void {
    const f = this.#failures.get(key) ?? { count: 0, lockedUntil: 0 };
    this.#failures.delete(key);
    f.count += 1;
    if (f.count >= this.#limits.loginLockFailures) f.lockedUntil = this.#now() + this.#limits.loginLockMs;
    this.#failures.set(key, f);
    if (this.#failures.size > MAX_TRACKED) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }
}
