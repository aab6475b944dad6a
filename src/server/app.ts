// buildApp(): the Fastify instance with every route, hook and error mapping, over a given store.
// It never listens; cli.ts and the tests do.
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { registerAdmin } from './http/admin.ts';
import { registerCards } from './http/cards.ts';
import { registerSessions } from './http/sessions.ts';
import { registerAuditRoutes } from './http/audit.ts';
import { registerEnrol, registerLogin, registerLogout } from './http/auth.ts';
import { registerCompression } from './http/compression.ts';
import { registerConflicts } from './http/conflicts.ts';
import { codeOf, registerErrorHandler, sendError } from './http/errors.ts';
import { registerHandoff } from './http/handoff.ts';
import { registerHealth } from './http/health.ts';
import { registerSetup, registerSetupGate, setupState } from './http/setup.ts';
import { registerPrivacy } from './http/privacy.ts';
import { registerRecords } from './http/records.ts';
import { registerReport } from './http/report.ts';
import { registerReporting } from './http/reporting.ts';
import { registerProvince } from './http/province.ts';
import { registerStatic } from './http/static.ts';
import { registerSync } from './http/sync.ts';
import { registerAccess } from './security/access.ts';
import { registerAudit } from './security/audit.ts';
import { registerHeaders } from './security/headers.ts';
import { DEFAULT_RATE_LIMITS, registerRateLimit, type RateLimits } from './security/rate-limit.ts';
import { moveCitizenSecrets } from './privacy/citizen-secret-move.ts';
import { ephemeralKeys, type ServerKeys } from './privacy/keys.ts';
import type { Store } from './store/store.ts';
import { DEFAULT_MAX_MUTATIONS } from '../shared/index.ts';

/** Deployment-dependent hardening (docs/operations.md). */
export interface SecurityOptions {
  /** Origins allowed to call the API cross-site (CORS_ORIGINS); none by default. */
  corsOrigins?: readonly string[];
  /** Strict-Transport-Security, only when served over HTTPS (HSTS=1). */
  hsts?: boolean;
  /** Trust X-Forwarded-For from these proxy addresses (TRUST_PROXY), so limits and the audit see client IPs. */
  trustProxy?: boolean | string;
  rateLimits?: Partial<RateLimits>;
}

export interface AppOptions {
  store: Store;
  /** The built PWA; null or a missing directory serves a "run npm run build" page instead. */
  staticDir?: string | null;
  logger?: FastifyServerOptions['logger'];
  /** Reported by /api/health; defaults to package.json's version. */
  version?: string;
  security?: SecurityOptions;
  /** Keys of citizens' data (privacy/keys.ts); fresh in-memory ones when absent (tests). */
  keys?: ServerKeys;
  /** The most mutations one push may carry, advertised at login and health (MAX_MUTATIONS). */
  maxMutations?: number;
}

export function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const v = (pkg as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0.1.0';
  } catch {
    return '0.1.0';
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { store } = options;
  const security = options.security ?? {};
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...security.rateLimits };
  const staticDir = options.staticDir === undefined ? 'dist' : options.staticDir;
  const keys = options.keys ?? (await ephemeralKeys());
  // Before any route: a citizenKey made now must use the secret the commune's old records were keyed with.
  await moveCitizenSecrets(store, keys);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: security.trustProxy ?? false,
    // Errors the router raises before any hook (a too-long path parameter, a bad URL) get the JSON shape too.
    frameworkErrors: (err, _request, reply) => sendError(reply, codeOf(err)),
  });
  // Only JSON bodies: text/plain would otherwise arrive as a string and fail later, less clearly.
  app.removeContentTypeParser('text/plain');
  registerErrorHandler(app);
  registerCompression(app);
  // Before the access hook: while no commune exists only health and set-up answer.
  const setup = setupState(store);
  registerSetupGate(app, setup);
  // Before any route: every route must declare its access (a route without one stops the start).
  const accessControl = registerAccess(app, store);
  registerAudit(app, store);
  await registerHeaders(
    app,
    { corsOrigins: security.corsOrigins ?? [], hsts: security.hsts ?? false },
    staticDir,
    accessControl,
  );
  await registerRateLimit(app, limits);

  const maxMutations = options.maxMutations ?? DEFAULT_MAX_MUTATIONS;
  registerHealth(app, store, options.version ?? packageVersion(), setup, maxMutations);
  registerSetup(app, store, setup);
  registerLogin(app, store, limits, keys, undefined, maxMutations);
  registerEnrol(app, store, limits, keys, maxMutations);
  await app.register(
    async (api) => {
      registerLogout(api, store);
      registerSync(api, store, keys, maxMutations);
      registerRecords(api, store);
      registerConflicts(api, store);
      registerReporting(api, store);
      registerReport(api, store);
      registerCards(api, store);
      registerSessions(api, store);
      registerProvince(api, store);
      registerAuditRoutes(api, store);
      registerPrivacy(api, store, keys);
      registerAdmin(api, store);
      registerHandoff(api, store, keys);
    },
    { prefix: '/api/v1' },
  );
  await registerStatic(app, staticDir, accessControl);
  return app;
}
