// A lead's review of one team record, out of the editor: the choice and comment, the rules checked
// before anything goes out (checkReview, pure), the online send (never through the outbox), the
// record's review as last known here, and the notice. Loaded with the editor.
import {
  REVIEW_COMMENT_MAX,
  REVIEW_STATES,
  freeTextIssue,
  type ReviewInput,
  type ReviewResponse,
  type ReviewState,
} from '../../shared/index.ts';
import type { LocalRecord } from '../db/database.ts';
import { t } from '../i18n/index.ts';
import type { ApiFailure, ApiResult } from '../sync/api.ts';
import { sendReview } from '../sync/review-api.ts';

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

export type ReviewNotice = { kind: 'ok' | 'error'; text: string };

/**
 * What stops a review before it is sent, or the input to send. `comment`: a message for under the
 * comment field; otherwise one for the notice.
 */
export type ReviewCheck =
  { ok: true; input: ReviewInput } | { ok: false; field: 'state' | 'comment' | 'length'; message: string };

/**
 * The rules of a review on the phone: a state is chosen; the comment holds no ID number (the server
 * refuses it too, with a 400; saying so here keeps the lead's text to fix) and fits the limit.
 */
export function checkReview(chosen: string, comment: string): ReviewCheck {
  if (!(REVIEW_STATES as readonly string[]).includes(chosen))
    return { ok: false, field: 'state', message: t.review.chooseState };
  const text = comment.trim();
  if (freeTextIssue(text) === 'looks_like_id')
    return { ok: false, field: 'comment', message: t.review.looksLikeId };
  if (text.length > REVIEW_COMMENT_MAX)
    return { ok: false, field: 'length', message: t.review.tooLong(REVIEW_COMMENT_MAX) };
  return { ok: true, input: { state: chosen as ReviewState, comment: text === '' ? null : text } };
}

export interface ReviewDeps {
  token: () => string | null;
  isOnline: () => boolean;
  /** Posts the review (sync/review-api.ts by default). */
  send?: (token: string, recordId: string, input: ReviewInput) => Promise<ApiResult<ReviewResponse>>;
  fetch?: typeof fetch | undefined;
  /** Keeps the answer on the local record (no outbox row: the next pull brings the same values). */
  store: (recordId: string, next: Pick<LocalRecord, 'reviewState' | 'reviewComment'>) => Promise<unknown>;
}

export class RecordReview {
  readonly #deps: ReviewDeps;
  readonly recordId: string;
  #state = $state<string | undefined>();
  #comment = $state<string | null>(null);
  /** The lead's choice and comment in the form. */
  chosen = $state<ReviewState | ''>('');
  text = $state('');
  #sending = $state(false);
  #notice = $state<ReviewNotice | null>(null);
  #commentError = $state('');
  #reviewed = $state(false);

  constructor(record: Pick<LocalRecord, 'id' | 'reviewState' | 'reviewComment'>, deps: ReviewDeps) {
    this.#deps = deps;
    this.recordId = record.id;
    this.#state = record.reviewState;
    this.#comment = record.reviewComment ?? null;
    this.chosen = (REVIEW_STATES as readonly string[]).includes(record.reviewState ?? '')
      ? (record.reviewState as ReviewState)
      : '';
    this.text = record.reviewComment ?? '';
  }

  /** The record's review as last known here: the record's, then the answer to this lead's review. */
  get state(): string | undefined {
    return this.#state;
  }
  get comment(): string | null {
    return this.#comment;
  }
  get sending(): boolean {
    return this.#sending;
  }
  get notice(): ReviewNotice | null {
    return this.#notice;
  }
  /** The comment's own message (an ID number in it), shown under the field. */
  get commentError(): string {
    return this.#commentError;
  }
  /** A review was sent from this editor (the next record is then one tap away). */
  get reviewed(): boolean {
    return this.#reviewed;
  }

  /** Check and send; true once the server took it and the record keeps it. */
  async submit(): Promise<boolean> {
    const token = this.#deps.token();
    if (this.#sending || !token) return false;
    const check = checkReview(this.chosen, this.text);
    this.#commentError = !check.ok && check.field === 'comment' ? check.message : '';
    if (!check.ok) {
      this.#notice = this.#commentError ? null : { kind: 'error', text: check.message };
      return false;
    }
    if (!this.#deps.isOnline()) {
      this.#notice = { kind: 'error', text: t.review.offline };
      return false;
    }
    this.#sending = true;
    this.#notice = null;
    try {
      const send =
        this.#deps.send ??
        ((tk: string, id: string, input: ReviewInput) =>
          sendReview(tk, id, input, this.#deps.fetch ? { fetch: this.#deps.fetch } : {}));
      const res = await send(token, this.recordId, check.input);
      if (!res.ok) {
        this.#notice = { kind: 'error', text: reviewFailureMessage(res.failure) };
        return false;
      }
      const next = { reviewState: res.value.reviewState, reviewComment: res.value.reviewComment };
      await this.#deps.store(this.recordId, next);
      this.#state = next.reviewState;
      this.#comment = next.reviewComment;
      this.#notice = { kind: 'ok', text: t.review.sent };
      this.#reviewed = true;
      return true;
    } catch (e) {
      this.#notice = { kind: 'error', text: e instanceof Error && e.message ? e.message : t.review.failed };
      return false;
    } finally {
      this.#sending = false;
    }
  }
}
