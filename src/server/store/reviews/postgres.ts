// A lead's review of a record (reviews/types.ts) on one PostgreSQL connection.
import type { ReviewEntry, ReviewTx } from './types.ts';
import { PgPart } from '../postgres/conn.ts';

export class PgReviewTx extends PgPart implements ReviewTx {
  async setReview(e: ReviewEntry): Promise<void> {
    await this.ready();
    await this.run(
      'UPDATE records SET review_state = $1, review_comment = $2, version = $3, updated_at = $4 WHERE id = $5',
      [e.state, e.comment, e.version, e.at, e.recordId],
    );
    await this.run(
      'INSERT INTO record_reviews (record_id, version, state, comment, user_id, at) VALUES ($1, $2, $3, $4, $5, $6)',
      [e.recordId, e.version, e.state, e.comment, e.userId, e.at],
    );
  }
}
