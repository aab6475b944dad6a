// A review of a record or a group session (docs/reporting.md, "Review"): who may review
// (canReview), the new version, the review itself and its history entry, in one transaction.
import { AppError, type ReviewInput, type ReviewResponse } from '../../shared/index.ts';
import type { Store, UserRow } from '../store/store.ts';
import { canReview } from '../sync/scope.ts';

/** What is reviewed: a record (record_reviews) or a group session (its own review columns). */
export type ReviewTarget = 'record' | 'session';

/**
 * Reviews one row and answers as the API does. Throws `not_found` for an unknown or deleted row
 * and `forbidden` when the reviewer's role, team or commune does not cover it.
 */
export async function review(
  store: Store,
  user: UserRow,
  target: ReviewTarget,
  id: string,
  input: { state: ReviewInput['state']; comment: string | null },
): Promise<ReviewResponse> {
  const { state, comment } = input;
  return store.transaction(async (tx) => {
    const row = target === 'record' ? await tx.getRecord(id) : await tx.getSession(id);
    if (!row || row.deleted) throw new AppError('not_found');
    if (!canReview(user, row)) throw new AppError('forbidden');
    // A new version, so the phone that logged it hears of the review on its next pull.
    const version = await tx.nextVersion();
    const at = new Date().toISOString();
    const entry = { recordId: id, version, state, comment, userId: user.id, at };
    if (target === 'record') await tx.setReview(entry);
    else await tx.setSessionReview(entry);
    // The review is in the row's history like any write, so /records/:id/history shows it.
    await tx.addHistory({
      recordId: id,
      version,
      mutationId: null,
      userId: user.id,
      op: 'update',
      patch: { reviewState: state, reviewComment: comment },
      replaced: { reviewState: row.reviewState ?? null, reviewComment: row.reviewComment ?? null },
      lost: null,
      won: null,
      at,
    });
    return { recordId: id, reviewState: state, reviewComment: comment, version, reviewedBy: user.id, at };
  });
}
