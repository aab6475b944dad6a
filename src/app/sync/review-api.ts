// POST /api/v1/records/:id/review: a lead's review of a team record (docs/reporting.md, "Review").
// Like api.ts, only a 2xx JSON answer that parses as the expected shape counts as success (a captive
// portal's 200 HTML is a failure). Loaded with the editor; the lead's only online-only action there.
import * as z from 'zod/mini';
import { ErrorResponse, ReviewInput, ReviewState, type ReviewResponse } from '../../shared/index.ts';
import { t } from '../i18n/index.ts';
import type { ApiFailure, ApiResult } from './api.ts';

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
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await doFetch(`${opts.baseUrl ?? ''}/api/v1/records/${encodeURIComponent(recordId)}/review`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal: timeoutSignal(opts.timeoutMs ?? 30_000),
    });
  } catch {
    return { ok: false, failure: { kind: 'network' } };
  }
  const json = await readJson(res);
  if (!res.ok) {
    const err = json === undefined ? null : ErrorResponse.safeParse(json);
    if (!err?.success)
      return res.status === 401
        ? { ok: false, failure: { kind: 'unauthorized', status: 401 } }
        : { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
    const { code, message } = err.data.error;
    return res.status === 401
      ? { ok: false, failure: { kind: 'unauthorized', status: 401, code, message } }
      : { ok: false, failure: { kind: 'http', status: res.status, code, message } };
  }
  const parsed = json === undefined ? null : ReviewAnswer.safeParse(json);
  if (!parsed?.success || parsed.data.recordId !== recordId)
    return { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
  return { ok: true, value: parsed.data };
}

/** Why a review was not sent, in the UI language. */
export function reviewFailureMessage(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'network':
      return t.review.unreachable;
    case 'invalid_answer':
      return t.review.invalidAnswer;
    case 'unauthorized':
      return t.review.expired;
    case 'http':
      if (failure.status === 403) return t.review.forbidden;
      if (failure.status === 404) return t.review.notFound;
      return failure.message || t.review.failed;
  }
}

function timeoutSignal(ms: number): AbortSignal | undefined {
  return typeof AbortSignal !== 'undefined' && typeof AbortSignal.timeout === 'function'
    ? AbortSignal.timeout(ms)
    : undefined;
}

/** The body as JSON, or undefined when it is not a JSON answer at all. */
async function readJson(res: Response): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) return undefined;
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}
