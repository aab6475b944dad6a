// Tallies for everyone in their scope (docs/reporting.md, "Tallies"): records counted by the store,
// group sessions counted beside them.
import type { FastifyInstance } from 'fastify';
import {
  SessionTallyDimension,
  SessionTallyQuery,
  TallyDimension,
  TallyQuery,
  type SessionTallyResponse,
  type TallyResponse,
} from '../../shared/index.ts';
import { tallySessions } from '../reporting/sessions.ts';
import { audit } from '../security/audit.ts';
import { ALL_ROLES, access, currentUser } from '../security/access.ts';
import type { Store } from '../store/store.ts';
import { parseBody } from './parse.ts';
import { checkPeriod, parseGroupBy, reportScope } from './report-query.ts';

export function registerTallies(app: FastifyInstance, store: Store): void {
  app.get(
    '/tallies',
    { bodyLimit: 1024, config: access(ALL_ROLES, 'team') },
    async (request, reply): Promise<TallyResponse> => {
      const user = currentUser(request);
      const q = parseBody(TallyQuery, request.query);
      checkPeriod(q.from, q.to);
      const groupBy = parseGroupBy(TallyDimension, q.groupBy);
      audit(request, 'view', 'tallies', { from: q.from, to: q.to, groupBy });
      reply.header('cache-control', 'no-store');
      return store.tally({
        scope: reportScope(user),
        communeCode: user.communeCode,
        from: q.from,
        to: q.to,
        groupBy,
        category: q.category,
        outcome: q.outcome,
        hamlet: q.hamlet,
        reviewState: q.reviewState,
        view: q.view,
        paidOnline: q.paidOnline,
        failReason: q.failReason,
      });
    },
  );

  // Group sessions beside the records' tally, never inside it (docs/reporting.md, "Group sessions").
  app.get(
    '/tallies/sessions',
    { bodyLimit: 1024, config: access(ALL_ROLES, 'team') },
    async (request, reply): Promise<SessionTallyResponse> => {
      const user = currentUser(request);
      const q = parseBody(SessionTallyQuery, request.query);
      checkPeriod(q.from, q.to);
      const groupBy = parseGroupBy(SessionTallyDimension, q.groupBy);
      const rows = await store.sessionReportRows({
        scope: reportScope(user),
        communeCode: user.communeCode,
        from: q.from,
        to: q.to,
        hamlet: q.hamlet,
        team: q.team,
        topic: q.topic,
      });
      audit(request, 'view', 'session-tallies', { from: q.from, to: q.to, groupBy });
      reply.header('cache-control', 'no-store');
      return tallySessions(rows, groupBy, q.reviewState);
    },
  );
}
