// The push's steps on their own (sync/push.ts): classifying an answer, and prepare → apply → revert
// on a real Dexie database under any acknowledgement of a chunk.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SotayDB, type OutboxRow } from '../../src/app/db/database.ts';
import { storeLogin } from '../../src/app/db/meta-repo.ts';
import {
  applyPushAnswer,
  prepareChunk,
  revertChunks,
  verdictOf,
  type PushVerdict,
} from '../../src/app/sync/push.ts';
import type { MutationResult } from '../../src/shared/index.ts';
import { backlog } from './support/db.ts';
import { loginResponse } from './support/fake-server.ts';

const PUSHER = { id: 'u-tnv', teamId: 't1', communeCode: '00001' };

function rowsFrom(first: number, n: number): OutboxRow[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: first + i,
    mutationId: `m${first + i}`,
    recordId: `r${first + i}`,
    op: 'upsert' as const,
    baseVersion: 0,
    patch: {},
    createdAt: '',
  }));
}

describe('push steps', () => {
  it('classifies any acknowledgement of a chunk: forgotten below it, else how much of it was taken', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 80 }),
        (first, n, ackedSeq) => {
          const rows = rowsFrom(first, n);
          const last = first + n - 1;
          const verdict = verdictOf(rows, { ok: true, value: { ackedSeq, results: [] } });
          if (ackedSeq < first - 1) {
            expect(verdict).toEqual({ kind: 'forgotten' });
            return;
          }
          const acked = Math.min(ackedSeq, last);
          expect(verdict).toEqual<PushVerdict>({
            kind: 'acked',
            acked,
            took: acked - first + 1,
            whole: ackedSeq >= last,
            results: [],
          });
        },
      ),
    );
    expect(verdictOf(rowsFrom(1, 3), { ok: false, failure: { kind: 'network' } })).toEqual({
      kind: 'failed',
      failure: { kind: 'network' },
    });
  });

  it('prepares a chunk as uploading, applies any acknowledgement of it, and leaves the rest waiting', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.nat(),
        fc.boolean(),
        async (n, size, ackPick, fails) => {
          const db = new SotayDB(`sotay-push-steps-${run++}`);
          try {
            await storeLogin(db, loginResponse());
            const ids = await backlog(db, n);
            const chunk = await prepareChunk(db, 0, size);
            const sent = Math.min(n, size);
            expect(chunk.rows.map((r) => r.seq)).toEqual(rowsFrom(1, sent).map((r) => r.seq));
            expect(await db.records.where('syncState').equals('uploading').count()).toBe(sent);

            if (fails) {
              await revertChunks(db, [chunk]);
              expect(await db.records.where('syncState').equals('to_post').count()).toBe(n);
              expect(await db.outbox.count()).toBe(n);
              return;
            }
            const acked = ackPick % (sent + 1);
            const results: MutationResult[] = chunk.rows
              .filter((r) => r.seq <= acked)
              .map((r) => ({ seq: r.seq, status: 'applied', version: r.seq }));
            const left = await applyPushAnswer(db, chunk, acked, results, PUSHER, new Set());

            expect(left).toBe(n - acked);
            expect((await db.outbox.orderBy('seq').first())?.seq ?? null).toBe(acked < n ? acked + 1 : null);
            const recs = await db.records.bulkGet(ids);
            recs.forEach((r, i) =>
              expect(r).toMatchObject(
                i < acked
                  ? { syncState: 'synced', serverVersion: i + 1, volunteerId: PUSHER.id }
                  : { syncState: 'to_post', serverVersion: 0 },
              ),
            );
          } finally {
            db.close();
            await db.delete();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
