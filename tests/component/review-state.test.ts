// The review workflow as a state class, without a DOM: the rules checked before anything goes out
// (checkReview), and RecordReview's send, states and notices with a fake sender and store.
import { describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '../../src/app/sync/api.ts';
import { RecordReview, checkReview, type ReviewDeps } from '../../src/app/state/review.svelte.ts';
import { REVIEW_COMMENT_MAX, type ReviewInput, type ReviewResponse } from '../../src/shared/index.ts';
import { DIGIT_ZEROS, inScript } from '../support/disguised-ids.ts';

const RECORD = { id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', reviewState: undefined, reviewComment: null };

function accepted(input: ReviewInput): ApiResult<ReviewResponse> {
  return {
    ok: true,
    value: {
      recordId: RECORD.id,
      reviewState: input.state,
      reviewComment: input.comment ?? null,
      version: 5,
      reviewedBy: 'u-lead',
      at: '2026-11-28T10:00:00.000Z',
    },
  };
}

function deps(over: Partial<ReviewDeps> = {}) {
  const send = vi.fn(async (_token: string, _id: string, input: ReviewInput) => accepted(input));
  const store = vi.fn(async () => undefined);
  const d: ReviewDeps = { token: () => 'token-lead', isOnline: () => true, send, store, ...over };
  return {
    d,
    send: (over.send as typeof send | undefined) ?? send,
    store: (over.store as typeof store | undefined) ?? store,
  };
}

describe('checkReview', () => {
  it('needs a chosen state', () => {
    expect(checkReview('', '')).toEqual({ ok: false, field: 'state', message: 'Hãy chọn kết quả duyệt.' });
    expect(checkReview('maybe', '')).toMatchObject({ ok: false, field: 'state' });
  });

  it('refuses a comment holding an ID number, even disguised, for the comment field', () => {
    const typed = `Số ${inScript('001 099 012 345', DIGIT_ZEROS.fullWidth)}`;
    expect(checkReview('has_issues', typed)).toMatchObject({ ok: false, field: 'comment' });
  });

  it('refuses a comment over the limit, trims, and sends an empty comment as null', () => {
    expect(checkReview('approved', 'x'.repeat(REVIEW_COMMENT_MAX + 1))).toMatchObject({
      ok: false,
      field: 'length',
    });
    expect(checkReview('approved', '   ')).toEqual({ ok: true, input: { state: 'approved', comment: null } });
    expect(checkReview('has_issues', '  Sai thôn ')).toEqual({
      ok: true,
      input: { state: 'has_issues', comment: 'Sai thôn' },
    });
  });
});

describe('RecordReview', () => {
  it('starts from the record: its state chosen, its comment in the field', () => {
    const review = new RecordReview(
      { ...RECORD, reviewState: 'has_issues', reviewComment: 'Sai thôn' },
      deps().d,
    );
    expect([review.state, review.comment, review.chosen, review.text]).toEqual([
      'has_issues',
      'Sai thôn',
      'has_issues',
      'Sai thôn',
    ]);
    expect(review.reviewed).toBe(false);
  });

  it('sends, keeps the answer on the record, says so, and is then reviewed', async () => {
    const { d, send, store } = deps();
    const review = new RecordReview(RECORD, d);
    review.chosen = 'approved';
    review.text = ' Tốt ';
    expect(await review.submit()).toBe(true);
    expect(send).toHaveBeenCalledWith('token-lead', RECORD.id, { state: 'approved', comment: 'Tốt' });
    expect(store).toHaveBeenCalledWith(RECORD.id, { reviewState: 'approved', reviewComment: 'Tốt' });
    expect([review.state, review.comment, review.reviewed, review.sending]).toEqual([
      'approved',
      'Tốt',
      true,
      false,
    ]);
    expect(review.notice).toEqual({ kind: 'ok', text: 'Đã gửi nhận xét' });
  });

  it('offline, sends nothing and asks for a connection', async () => {
    const { d, send, store } = deps({ isOnline: () => false });
    const review = new RecordReview(RECORD, d);
    review.chosen = 'approved';
    expect(await review.submit()).toBe(false);
    expect(send).not.toHaveBeenCalled();
    expect(store).not.toHaveBeenCalled();
    expect(review.notice).toEqual({ kind: 'error', text: 'Cần có mạng để gửi nhận xét' });
  });

  it('puts an ID number under the comment field, not in the notice, and keeps the text', async () => {
    const { d, send } = deps();
    const review = new RecordReview(RECORD, d);
    review.chosen = 'has_issues';
    review.text = 'số 001099012345';
    expect(await review.submit()).toBe(false);
    expect(review.commentError).toContain('số định danh');
    expect(review.notice).toBeNull();
    expect(review.text).toBe('số 001099012345');
    expect(send).not.toHaveBeenCalled();
  });

  it("keeps the record's review and says why when the server refuses", async () => {
    const refuse = vi.fn(async (): Promise<ApiResult<ReviewResponse>> => ({
      ok: false,
      failure: { kind: 'http', status: 403, code: 'forbidden', message: '' },
    }));
    const { d, store } = deps({ send: refuse });
    const review = new RecordReview({ ...RECORD, reviewState: 'received' }, d);
    review.chosen = 'rejected';
    expect(await review.submit()).toBe(false);
    expect(store).not.toHaveBeenCalled();
    expect(review.state).toBe('received');
    expect(review.reviewed).toBe(false);
    expect(review.notice).toEqual({ kind: 'error', text: 'Bạn không có quyền duyệt bản ghi này.' });
  });

  it('without a session token sends nothing', async () => {
    const { d, send } = deps({ token: () => null });
    const review = new RecordReview(RECORD, d);
    review.chosen = 'approved';
    expect(await review.submit()).toBe(false);
    expect(send).not.toHaveBeenCalled();
  });
});
