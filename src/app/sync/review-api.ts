// POST /api/v1/records/:id/review: a lead's review of a team record (docs/reporting.md, "Review").
// Like api.ts, only a 2xx JSON answer that parses as the expected shape counts as success (a captive
// portal's 200 HTML is a failure). Loaded with the editor; the lead's only online-only action there.
import * as z from 'zod/mini';
import { ReviewInput, ReviewState, type ReviewResponse } from '../../shared/index.ts';
import { ApiClient, type ApiResult } from './api.ts';

const ReviewAnswer = z.object({
  recordId: z.string(),
  reviewState: ReviewState,
  reviewComment: z.nullable(z.string()),
  version: z.number(),
  reviewedBy: z.string(),
  at: z.string(),
});

export interface ReviewOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  timeoutMs?: number;
}

/** Send one review; the input is checked with the shared schema before anything goes out. */
export async function sendReview(
  token: string,
  recordId: string,
  input: ReviewInput,
  opts: ReviewOptions = {},
): Promise<ApiResult<ReviewResponse>> {
  const body = ReviewInput.parse(input);
  const api = new ApiClient(opts);
  const path = `/api/v1/records/${encodeURIComponent(recordId)}/review`;
  const res = await api.postJson(token, path, body, ReviewAnswer);
  // An answer about another record is as wrong as an answer of the wrong shape.
  if (res.ok && res.value.recordId !== recordId)
    return { ok: false, failure: { kind: 'invalid_answer', status: 200 } };
  return res;
}
