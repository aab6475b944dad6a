// The one walk over a push's mutations (sync-protocol.md, "Push semantics"): what PushBatch reads up
// front and what push.ts applies or answers again both come from it, so they cannot disagree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mutation } from '../../src/shared/index.ts';
import { planPush, walkPush } from '../../src/server/sync/batch.ts';

/** Only the seq and id decide the walk; the rest of a mutation is not read. */
const at = (seq: number): Mutation => ({ seq, mutationId: `m-${seq}` }) as Mutation;
const steps = (seqs: number[], acked: number): [number, boolean][] =>
  [...walkPush(seqs.map(at), acked)].map((s) => [s.mutation.seq, s.resent]);

describe('walkPush', () => {
  it('applies the next seqs, answers acked ones again and stops at a gap', () => {
    expect(steps([4, 5, 6], 3)).toEqual([
      [4, false],
      [5, false],
      [6, false],
    ]);
    expect(steps([2, 3, 4, 5], 3)).toEqual([
      [2, true],
      [3, true],
      [4, false],
      [5, false],
    ]);
    expect(steps([4, 6, 7], 3)).toEqual([[4, false]]);
    expect(steps([5, 6], 3)).toEqual([]);
    // A seq repeated within the push is answered from the answer this push just stored.
    expect(steps([4, 4, 5], 3)).toEqual([
      [4, false],
      [4, true],
      [5, false],
    ]);
  });

  it('plans what it walks: the applied seqs run on from the acked one, the resent start lowest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 15 }),
        fc.integer({ min: 0, max: 8 }),
        (seqs, acked) => {
          const plan = planPush(seqs.map(at), acked);
          const walked = [...walkPush(seqs.map(at), acked)];
          expect(plan.applied.map((m) => m.seq)).toEqual(
            walked.filter((s) => !s.resent).map((s) => s.mutation.seq),
          );
          expect(plan.applied.map((m) => m.seq)).toEqual(plan.applied.map((_, i) => acked + 1 + i));
          const resentBefore = walked.filter((s) => s.resent && s.mutation.seq <= acked);
          expect(plan.firstResent).toBe(
            resentBefore.length === 0 ? null : Math.min(...resentBefore.map((s) => s.mutation.seq)),
          );
        },
      ),
    );
  });
});
