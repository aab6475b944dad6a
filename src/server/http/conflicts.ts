// GET /api/v1/conflicts — values that lost a same-field conflict, for review: a lead sees the team's,
// a supervisor or admin the commune's; volunteers have no review (403 from the access declaration).
import type { FastifyInstance } from 'fastify';
import { AppError, ConflictsQuery, type ConflictsResponse } from '../../shared/index.ts';
import { audit } from '../security/audit.ts';
import type { Store } from '../store/store.ts';
import { conflictFilter, conflictsOf, pageByVersion } from '../sync/history.ts';
import { pullScope } from '../sync/scope.ts';
import { access, currentUser } from '../security/access.ts';
import { parseBody } from './parse.ts';

export function registerConflicts(app: FastifyInstance, store: Store): void {
  app.get(
    '/conflicts',
    { bodyLimit: 1024, config: access(['lead', 'supervisor', 'admin'], 'team') },
    async (request, reply): Promise<ConflictsResponse> => {
      const user = currentUser(request);
      // Roles are checked by the route's access declaration; a lead without a team has nothing to review.
      if (user.role === 'lead' && user.teamId === null)
        throw new AppError('forbidden', { reason: 'review_not_allowed' });
      const filter = conflictFilter(parseBody(ConflictsQuery, request.query));
      const rows = await store.listConflicts({ scope: pullScope(user), ...filter, limit: filter.limit + 1 });
      const { page, hasMore } = pageByVersion(rows, filter.limit);
      audit(request, 'view', 'conflicts', { count: page.length });
      reply.header('cache-control', 'no-store');
      return { conflicts: page.flatMap(conflictsOf), hasMore };
    },
  );
}
