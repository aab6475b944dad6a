// buildApp(): the Fastify instance with every route, hook and error mapping, over a given store.
// It never listens; cli.ts and the tests do.
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authenticate, registerLogin, registerLogout } from './http/auth.ts';
import { registerCompression } from './http/compression.ts';
import { registerConflicts } from './http/conflicts.ts';
import { registerErrorHandler } from './http/errors.ts';
import { registerHandoff } from './http/handoff.ts';
import { registerHealth } from './http/health.ts';
import { registerRecords } from './http/records.ts';
import { registerReporting } from './http/reporting.ts';
import { registerStatic } from './http/static.ts';
import { registerSync } from './http/sync.ts';
import type { Store } from './store/store.ts';

export interface AppOptions {
  store: Store;
  /** The built PWA; null or a missing directory serves a "run npm run build" page instead. */
  staticDir?: string | null;
  logger?: FastifyServerOptions['logger'];
  /** Reported by /api/health; defaults to package.json's version. */
  version?: string;
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
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
  });
  // Only JSON bodies: text/plain would otherwise arrive as a string and fail later, less clearly.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('user', null);
  registerErrorHandler(app);
  registerCompression(app);

  registerHealth(app, store, options.version ?? packageVersion());
  registerLogin(app, store);
  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticate(store));
      registerLogout(api, store);
      registerSync(api, store);
      registerRecords(api, store);
      registerConflicts(api, store);
      registerReporting(api, store);
      registerHandoff(api, store);
    },
    { prefix: '/api/v1' },
  );
  await registerStatic(app, options.staticDir === undefined ? 'dist' : options.staticDir);
  return app;
}
