// GET /api/health: liveness for load balancers and for the app's "is the server there" check.
import type { FastifyInstance } from 'fastify';
import { DEFAULT_MAX_MUTATIONS, type HealthResponse } from '../../shared/index.ts';
import { publicAccess } from '../security/access.ts';
import type { Store } from '../store/store.ts';
import type { SetupState } from './setup.ts';

export function registerHealth(
  app: FastifyInstance,
  store: Store,
  version: string,
  setup: SetupState,
  maxMutations: number = DEFAULT_MAX_MUTATIONS,
): void {
  app.get(
    '/api/health',
    { bodyLimit: 1024, config: publicAccess() },
    async (_request, reply): Promise<HealthResponse> => {
      reply.header('cache-control', 'no-store');
      return {
        ok: true,
        store: store.kind,
        version,
        setup: (await setup.pending()) ? 'pending' : 'done',
        maxMutations,
      };
    },
  );
}
