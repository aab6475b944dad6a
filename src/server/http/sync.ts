// POST /api/v1/sync/push and /api/v1/sync/pull (sync-protocol.md). Authenticated by the hook in app.ts.
import type { FastifyInstance } from 'fastify';
import { PullRequest, PushRequest, type PullResponse, type PushResponse } from '../../shared/index.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import type { Store } from '../store/store.ts';
import { pull } from '../sync/pull.ts';
import { checkSchemaVersion, push } from '../sync/push.ts';
import { currentUser } from './auth.ts';
import { parseBody } from './parse.ts';

/** 100 whole records with 500-character notes stay far below this. */
export const PUSH_BODY_LIMIT = 1024 * 1024;

export function registerSync(app: FastifyInstance, store: Store, keys?: ServerKeys): void {
  app.post('/sync/push', { bodyLimit: PUSH_BODY_LIMIT }, async (request, reply): Promise<PushResponse> => {
    reply.header('cache-control', 'no-store');
    checkSchemaVersion(request.body);
    return push(
      store,
      currentUser(request),
      parseBody(PushRequest, request.body, ['mutations']),
      new Date(),
      keys,
    );
  });

  app.post('/sync/pull', { bodyLimit: 16 * 1024 }, async (request, reply): Promise<PullResponse> => {
    reply.header('cache-control', 'no-store');
    return pull(store, currentUser(request), parseBody(PullRequest, request.body));
  });
}
