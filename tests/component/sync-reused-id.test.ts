// A push answer `rejected` for a reused mutationId (sync-protocol.md, "Push semantics") never drops
// the record on the phone: it stays in its error state, content intact, with the server's reason in
// Vietnamese on its badge, and the record that owns the id is untouched.
import { render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/shared/index.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import RecordsScreen from '../../src/app/ui/records/RecordsScreen.svelte';
import { loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, HAMLETS } from './support/fake-server.ts';
import { recordsContext } from './support/records.ts';

describe('a mutationId the server already used for another record', () => {
  it('keeps the rejected record on the phone in error, with the Vietnamese reason shown', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null });
    const first = wireRecord({ note: 'bản ghi đã gửi' });
    await saveNewRecord(db, first);
    expect(await engine.syncNow()).toBe('ok');
    const usedId = server.pushes().at(-1)!.mutations[0]!.mutationId;

    // A second record whose outbox row carries the id already written (a cloned or buggy device).
    const second = wireRecord({ note: 'bản ghi bị trùng mã thay đổi' });
    await saveNewRecord(db, second);
    const row = (await db.outbox.toArray()).find((o) => o.recordId === second.id)!;
    await db.outbox.update(row.seq, { mutationId: usedId });

    expect(await engine.syncNow()).toBe('ok');
    expect(server.pushes().at(-1)!.mutations[0]!.mutationId).toBe(usedId);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.records.get(second.id)).toMatchObject({
      note: 'bản ghi bị trùng mã thay đổi',
      syncState: 'error',
      syncError: ERRORS.mutation_id_reused.vi,
    });
    expect(await db.records.get(first.id)).toMatchObject({ note: 'bản ghi đã gửi', syncState: 'synced' });
    expect(server.records.has(second.id)).toBe(false);

    const { container } = render(RecordsScreen, { props: { hamlets: HAMLETS }, context: recordsContext(db) });
    await waitFor(() => expect(container.querySelector(`li[data-record-id="${second.id}"]`)).not.toBeNull());
    const item = container.querySelector(`li[data-record-id="${second.id}"]`)!;
    expect(item.getAttribute('data-sync-state')).toBe('error');
    expect(item.querySelector('.badge')!.textContent!.trim()).toBe(
      `Máy chủ không nhận: ${ERRORS.mutation_id_reused.vi}`,
    );
  });
});
