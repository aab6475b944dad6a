// A record's review (docs/reporting.md, "Review"): parsed and screened here, decided and written by
// reporting/review.ts, as a group session's review is (sessions.ts).
import type { FastifyInstance } from 'fastify';
import { AppError, ReviewInput, isUuidV7, type ReviewResponse } from '../../shared/index.ts';
import { review } from '../reporting/review.ts';
import { audit } from '../security/audit.ts';
import { access, currentUser } from '../security/access.ts';
import type { Store } from '../store/store.ts';
import { parseBody, screenFreeText } from './parse.ts';
import { REVIEWERS } from './report-query.ts';

export function registerReview(app: FastifyInstance, store: Store): void {
  app.post<{ Params: { id: string } }>(
    '/records/:id/review',
    { bodyLimit: 16 * 1024, config: access(REVIEWERS, 'team') },
    async (request): Promise<ReviewResponse> => {
      const user = currentUser(request);
      audit(request, 'review', `record:${request.params.id}`);
      const body = parseBody(ReviewInput, request.body);
      const id = request.params.id;
      if (!isUuidV7(id)) throw new AppError('not_found');
      const comment = body.comment ?? null;
      screenFreeText(['comment', 'Nhận xét', comment]);
      return review(store, user, 'record', id, { state: body.state, comment });
    },
  );
}
