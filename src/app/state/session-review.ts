// A lead's review of a group session (POST /api/v1/sessions/:id/review, docs/group-sessions.md):
// online only, never through the outbox, through the app's API client like a record's review
// (sync/review-api.ts). Only a 2xx JSON answer about this session counts. Loaded with the list.
import * as z from 'zod/mini';
import { ReviewInput, ReviewState, freeTextIssue, type ReviewResponse } from '../../shared/index.ts';
import { t } from '../i18n/index.ts';
import { tSessions } from '../i18n/sessions.ts';
import { ApiClient, type ApiFailure, type ApiResult } from '../sync/api.ts';

const ReviewAnswer = z.object({
  recordId: z.string(),
  reviewState: ReviewState,
  reviewComment: z.nullable(z.string()),
  version: z.number(),
  reviewedBy: z.string(),
  at: z.string(),
});

/** The two verdicts a lead gives a session from the list. */
export type SessionVerdict = 'approved' | 'has_issues';

export interface SessionReviewOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
}

/**
 * What stops a review before it goes out, else the body: "cần sửa" needs a comment saying what,
 * and no comment holds an ID number.
 */
export function checkSessionReview(
  verdict: SessionVerdict,
  comment: string,
): { ok: true; input: ReviewInput } | { ok: false; message: string } {
  const text = comment.trim();
  if (verdict === 'has_issues' && text === '') return { ok: false, message: tSessions.commentNeeded };
  if (text && freeTextIssue(text) === 'looks_like_id') return { ok: false, message: t.review.looksLikeId };
  const parsed = ReviewInput.safeParse({ state: verdict, comment: text === '' ? null : text });
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, message: tSessions.reviewFailed };
}

/** Send one review of a session. */
export async function sendSessionReview(
  token: string,
  sessionId: string,
  input: ReviewInput,
  opts: SessionReviewOptions = {},
): Promise<ApiResult<ReviewResponse>> {
  const api = new ApiClient(opts);
  const path = `/api/v1/sessions/${encodeURIComponent(sessionId)}/review`;
  const res = await api.postJson(token, path, ReviewInput.parse(input), ReviewAnswer);
  // An answer about another session is as wrong as an answer of the wrong shape.
  if (res.ok && res.value.recordId !== sessionId)
    return { ok: false, failure: { kind: 'invalid_answer', status: 200 } };
  return res;
}

/** Why a review (or the admin's topic list) was not sent, in the UI language. */
export function sessionFailureMessage(failure: ApiFailure, fallback = tSessions.reviewFailed): string {
  switch (failure.kind) {
    case 'network':
      return tSessions.reviewUnreachable;
    case 'invalid_answer':
      return tSessions.reviewInvalid;
    case 'unauthorized':
      return tSessions.reviewExpired;
    case 'http':
      if (failure.status === 403) return tSessions.reviewForbidden;
      if (failure.status === 404) return tSessions.reviewNotFound;
      return failure.message || fallback;
  }
}
