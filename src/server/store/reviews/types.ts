// Review of records by the team lead (POST /records/:id/review); both stores implement it in
// reviews/sqlite.ts and reviews/postgres.ts.

export interface ReviewEntry {
  recordId: string;
  version: number;
  state: string;
  comment: string | null;
  userId: string;
  at: string;
}

export interface ReviewTx {
  /** Set a record's review state and version (its data stays) and keep the review in its history. */
  setReview(entry: ReviewEntry): Promise<void>;
}
