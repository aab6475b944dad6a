// A lead's review of a record (reviews/types.ts) on one better-sqlite3 connection.
import type { ReviewEntry, ReviewTx } from './types.ts';
import type { Statements } from '../sqlite/statements.ts';

export class SqliteReviewTx implements ReviewTx {
  constructor(protected readonly sql: Statements) {}

  async setReview(e: ReviewEntry): Promise<void> {
    this.sql
      .get(
        'UPDATE records SET review_state = ?, review_comment = ?, version = ?, updated_at = ? WHERE id = ?',
      )
      .run(e.state, e.comment, e.version, e.at, e.recordId);
    this.sql
      .get(
        'INSERT INTO record_reviews (record_id, version, state, comment, user_id, at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(e.recordId, e.version, e.state, e.comment, e.userId, e.at);
  }
}
