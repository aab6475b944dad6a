// The pure merge rules of sync: replay of pending patches, push results, pulled changes, backoff;
// the replay rules also as properties over random pending patches, pulled copies and answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocalRecord, OutboxRow } from '../../src/app/db/database.ts';
import { syncStateLabel } from '../../src/app/i18n/index.ts';
import {
  afterPushResult,
  backoffDelay,
  fromPulled,
  leftScope,
  rejectionMessage,
  replayPending,
  revertUploading,
} from '../../src/app/sync/merge.ts';
import type { MutationResult } from '../../src/shared/index.ts';
import { localRecord } from './support/db.ts';

function row(seq: number, recordId: string, patch: Record<string, unknown>): OutboxRow {
  return { seq, mutationId: `m${seq}`, recordId, op: 'upsert', baseVersion: 0, patch, createdAt: '' };
}

describe('merge rules', () => {
  it('replays pending patches in seq order over a pulled row and keeps unknown server fields', () => {
    const existing = localRecord({ syncState: 'to_update', serverVersion: 1 });
    const pulled = { ...existing, outcome: 'done', reviewState: 'approved', teamId: 't1' };
    const pending = [
      row(7, existing.id, { note: 'b' }),
      row(5, existing.id, { note: 'a', ageBand: '18_59' }),
    ];

    const next = fromPulled({ id: existing.id, version: 4, deleted: false, data: pulled }, existing, pending);

    expect(next).toMatchObject({ note: 'b', ageBand: '18_59', outcome: 'done', reviewState: 'approved' });
    expect(next).toMatchObject({ serverVersion: 4, syncState: 'to_update' });
  });

  it('marks a pulled row without pending edits as synced, and a tombstone as a delete', () => {
    const r = localRecord();
    expect(fromPulled({ id: r.id, version: 2, deleted: false, data: { ...r } }, undefined, [])).toMatchObject(
      {
        syncState: 'synced',
        serverVersion: 2,
      },
    );
    expect(fromPulled({ id: r.id, version: 3, deleted: true, data: null }, r, [])).toBeNull();
  });

  it('takes the winning record of a conflict and keeps the record pending while later edits wait', () => {
    const mine: LocalRecord = localRecord({ outcome: 'follow_up', syncState: 'uploading' });
    const first = row(1, mine.id, { ...mine });
    const later = row(2, mine.id, { note: 'sau' });
    const winner = { ...mine, outcome: 'referred', teamId: 't1' };

    const effect = afterPushResult(
      mine,
      first,
      { seq: 1, status: 'conflict', version: 9, record: winner },
      [later],
      true,
    );

    expect(effect.kind).toBe('put');
    const rec = (effect as { record: LocalRecord }).record;
    expect(rec).toMatchObject({ outcome: 'referred', note: 'sau', serverVersion: 9, syncState: 'to_update' });
  });

  it('prefers the field messages of a rejection over its general message', () => {
    const fields = [
      { field: 'hamletId', code: 'unknown_hamlet', message: 'Thôn/ấp không thuộc xã của bạn.' },
    ];
    expect(
      rejectionMessage({
        seq: 1,
        status: 'rejected',
        error: { code: 'x', message: 'chung', details: { fields } },
      }),
    ).toBe('Thôn/ấp không thuộc xã của bạn.');
    expect(rejectionMessage({ seq: 1, status: 'rejected', error: { code: 'x', message: 'chung' } })).toBe(
      'chung',
    );
  });

  it('leaves the words of a reasonless refusal to the label, which names it in the UI language', () => {
    const r = localRecord({ syncState: 'uploading', syncError: 'cũ' });
    const refused = afterPushResult(
      r,
      row(2, r.id, { note: 'x' }),
      { seq: 2, status: 'rejected', error: { code: 'internal', message: '' } },
      [],
      false,
    );
    const record = (refused as { record: LocalRecord }).record;
    expect(rejectionMessage({ seq: 2, status: 'rejected', error: { code: 'internal', message: '' } })).toBe(
      undefined,
    );
    expect(record.syncState).toBe('error');
    expect(record.syncError).toBeUndefined();
    expect(syncStateLabel(record.syncState, record.syncError)).toBe('Máy chủ không nhận: không rõ lý do');
  });

  it('backs off with full jitter between 1 s and a ceiling that doubles per failure, at most 5 minutes', () => {
    expect(backoffDelay(0, () => 0)).toBe(1000);
    expect(backoffDelay(0, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 0)).toBe(1000);
    expect(backoffDelay(3, () => 1)).toBe(8000);
    expect(backoffDelay(3, () => 0.5)).toBe(4500);
    expect(backoffDelay(30, () => 1)).toBe(300_000);
    expect(backoffDelay(30, () => 0)).toBe(1000);
  });

  it('keeps a pulled row hidden under a pending delete, and un-hides a record whose delete was refused', () => {
    const r = localRecord({ syncState: 'to_update', serverVersion: 2, deleted: true });
    const del: OutboxRow = { ...row(4, r.id, {}), op: 'delete' };

    const pulled = fromPulled({ id: r.id, version: 3, deleted: false, data: { ...r } }, r, [del]);
    expect(pulled).toMatchObject({ deleted: true, serverVersion: 3, syncState: 'to_update' });

    const refused = afterPushResult(
      r,
      del,
      { seq: 4, status: 'rejected', error: { code: 'forbidden', message: 'Không được xoá.' } },
      [],
      false,
    );
    expect(refused.kind).toBe('put');
    expect((refused as { record: LocalRecord }).record).toMatchObject({
      syncState: 'error',
      syncError: 'Không được xoá.',
    });
    expect((refused as { record: LocalRecord }).record.deleted).toBeUndefined();
  });

  it('completes a record created here with the owner fields the server derives, keeping pulled ones', () => {
    const pusher = { id: 'u-tnv', teamId: 'team-1', communeCode: '99001' };
    const mine = localRecord({ syncState: 'uploading' });
    delete mine.volunteerId;
    const created = afterPushResult(
      mine,
      row(1, mine.id, { ...mine }),
      { seq: 1, status: 'applied', version: 5 },
      [],
      false,
      pusher,
    );
    expect((created as { record: LocalRecord }).record).toMatchObject({
      volunteerId: 'u-tnv',
      teamId: 'team-1',
      communeCode: '99001',
      serverVersion: 5,
      syncState: 'synced',
    });

    // A lead's record for a volunteer names the volunteer; a pulled record keeps its own fields.
    const named = localRecord({ syncState: 'uploading', volunteerId: 'u-tnv3' });
    const forOther = afterPushResult(
      named,
      row(2, named.id, { ...named }),
      { seq: 2, status: 'applied', version: 6 },
      [],
      false,
      { ...pusher, id: 'u-lead' },
    );
    expect((forOther as { record: LocalRecord }).record).toMatchObject({
      volunteerId: 'u-tnv3',
      teamId: 'team-1',
    });
    const pulled = localRecord({
      syncState: 'uploading',
      serverVersion: 3,
      volunteerId: 'u-x',
      teamId: 'team-2',
      communeCode: '99002',
    });
    const edited = afterPushResult(
      pulled,
      row(3, pulled.id, { note: 'sửa' }),
      { seq: 3, status: 'applied', version: 7 },
      [],
      false,
      pusher,
    );
    expect((edited as { record: LocalRecord }).record).toMatchObject({
      volunteerId: 'u-x',
      teamId: 'team-2',
      communeCode: '99002',
    });
  });

  it('drops at the end of a snapshot only rows that left the scope: synced or once-accepted, with nothing queued', () => {
    const mark = 'm1';
    expect(leftScope(localRecord({ syncState: 'synced', serverVersion: 3 }), false, mark)).toBe(true);
    expect(
      leftScope(localRecord({ syncState: 'synced', serverVersion: 3, pullMark: mark }), false, mark),
    ).toBe(false);
    expect(leftScope(localRecord({ syncState: 'synced', serverVersion: 3 }), true, mark)).toBe(false);
    expect(leftScope(localRecord({ syncState: 'to_update', serverVersion: 3 }), false, mark)).toBe(false);
    expect(leftScope(localRecord({ syncState: 'error', serverVersion: 3 }), false, mark)).toBe(true);
    // A rejected create never reached the server: keep it so the user can fix it.
    expect(leftScope(localRecord({ syncState: 'error', serverVersion: 0 }), false, mark)).toBe(false);
  });
});

/** A partial patch of a few fields with few values (so patches often touch the same field). */
const patch = fc.record(
  {
    note: fc.constantFrom('ghi chú A', 'ghi chú B', null),
    ageBand: fc.constantFrom('18_59', '60_plus', null),
    sex: fc.constantFrom('male', 'female', null),
    followUpOn: fc.constantFrom('2026-12-01', null),
  },
  { requiredKeys: [] },
);

/** Pending upserts of one record with increasing seqs, handed over in any order. */
const pendingOf = (id: string, minLength = 0): fc.Arbitrary<OutboxRow[]> =>
  fc
    .array(patch, { minLength, maxLength: 5 })
    .map((patches) => patches.map((p, i) => row(10 + i * 3, id, p)))
    .chain((rows) => fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }));

/** What the newest pending patch that names each field says of it (null: the field is cleared). */
function lastWritten(pending: readonly OutboxRow[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const r of [...pending].sort((a, b) => a.seq - b.seq))
    for (const [k, v] of Object.entries(r.patch)) if (v !== undefined) out.set(k, v);
  return out;
}

function expectSurvives(record: Record<string, unknown>, pending: readonly OutboxRow[]): void {
  for (const [k, v] of lastWritten(pending)) {
    if (v === null) expect(record).not.toHaveProperty(k);
    else expect(record[k]).toBe(v);
  }
}

const state = fc.constantFrom('to_post', 'to_update', 'uploading', 'synced', 'error') as fc.Arbitrary<
  LocalRecord['syncState']
>;

const local = fc
  .record({ patch, syncState: state, serverVersion: fc.integer({ min: 0, max: 20 }) })
  .map(({ patch: p, ...rest }) => ({ ...localRecord({ id: 'r-1', ...rest }), ...p }) as LocalRecord);

const pulled = fc.record({
  version: fc.integer({ min: 1, max: 40 }),
  data: patch.map((p) => ({ ...localRecord({ id: 'r-1' }), ...p, teamId: 't1' }) as Record<string, unknown>),
});

describe('replay rules (properties)', () => {
  it('keeps every pending local patch over any pulled version, and pulling it again changes nothing', () => {
    fc.assert(
      fc.property(fc.option(local), pulled, pendingOf('r-1', 1), (existing, change, pending) => {
        const c = { id: 'r-1', version: change.version, deleted: false, data: change.data };
        const next = fromPulled(c, existing ?? undefined, pending, 'mark-1')!;

        expectSurvives(next, pending);
        expect(next.serverVersion).toBe(change.version);
        expect(next.syncState).not.toBe('synced');
        expect(fromPulled(c, next, pending, 'mark-1')).toEqual(next);
      }),
    );
  });

  it('replays pending patches by seq, whatever order they come in', () => {
    fc.assert(
      fc.property(patch, pendingOf('r-1'), (base, pending) => {
        const sorted = [...pending].sort((a, b) => a.seq - b.seq);
        expect(replayPending(base, pending)).toEqual(replayPending(base, sorted));
        expectSurvives(replayPending(base, pending), pending);
      }),
    );
  });

  it('folds a push result once: applying it again to its own output changes nothing, and later patches survive', () => {
    const result = fc.oneof(
      fc.record({ status: fc.constantFrom('applied' as const), version: fc.integer({ min: 1, max: 40 }) }),
      fc.record({
        status: fc.constantFrom('merged' as const, 'conflict' as const),
        version: fc.integer({ min: 1, max: 40 }),
        record: pulled.map((p) => p.data),
      }),
      fc.constant({ status: 'rejected' as const, error: { code: 'invalid_record', message: 'Sai.' } }),
    );
    fc.assert(
      fc.property(
        local,
        patch,
        result,
        pendingOf('r-1'),
        fc.boolean(),
        (existing, sent, res, later, waits) => {
          const first = row(5, 'r-1', sent);
          const answer: MutationResult = { seq: 5, ...res };
          const stillPending = waits && later.length > 0;
          const pusher = { id: 'u-1', teamId: 't1', communeCode: '00001' };
          const once = afterPushResult(existing, first, answer, later, stillPending, pusher);
          expect(once.kind).toBe('put');
          const record = (once as { record: LocalRecord }).record;
          expect(afterPushResult(record, first, answer, later, stillPending, pusher)).toEqual(once);
          if (res.status !== 'rejected') {
            expectSurvives(record, later);
            expect(record.syncState).toBe(
              stillPending ? (record.serverVersion > 0 ? 'to_update' : 'to_post') : 'synced',
            );
          }
        },
      ),
    );
  });

  it('puts an uploading row back to waiting by the version the server confirmed, and leaves others alone', () => {
    fc.assert(
      fc.property(local, (r) => {
        const back = revertUploading(r);
        if (r.syncState !== 'uploading') expect(back).toBe(r);
        else expect(back.syncState).toBe(r.serverVersion > 0 ? 'to_update' : 'to_post');
      }),
    );
  });
});
