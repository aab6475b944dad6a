// Raw IndexedDB baselines of rows 4 and 5, measured on the same page in the same run: the same
// operation as the app's, written directly against IndexedDB (no Dexie, no app code), so each row
// prints what the browser's storage alone costs at this throttle and the app's ratio to it.
import type { Page } from 'playwright-core';
import { median } from '../lib/stats.ts';

/** How many times each baseline runs; the median is printed. */
const REPEAT = 5;

/** The list's first screenful (RecordsScreen.svelte FIRST). */
const FIRST = 12;

/**
 * A save as the app makes it (records-repo.ts saveNewRecord): one read-write transaction that
 * reads the sync meta for the next seq, writes the record and its outbox row, bumps its day ×
 * category × outcome counter and the seq. What it wrote is taken back afterwards, apart from the
 * timing, so the app's own rows and tallies stay as they were.
 */
export async function rawSave(page: Page): Promise<number> {
  return median(
    (await page.evaluate(
      `(async () => {
        const db = await new Promise((resolve, reject) => {
          const req = indexedDB.open('sotay');
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
        const stores = ['records', 'outbox', 'meta', 'counters'];
        const times = [];
        for (let i = 0; i < ${REPEAT}; i++) {
          const id = 'bench-raw-' + i + '-' + Math.random();
          const day = '2026-11-28';
          const t0 = performance.now();
          const tx = db.transaction(stores, 'readwrite');
          const meta = tx.objectStore('meta');
          const counters = tx.objectStore('counters');
          const key = [day, 'vneid_l2', 'referred'];
          let seq = 0;
          const m = meta.get('sync');
          m.onsuccess = () => {
            const row = m.result;
            seq = row.value.nextSeq;
            tx.objectStore('records').put({
              id, occurredOn: day, hamletId: 'h1', category: 'vneid_l2', outcome: 'referred', place: 'office',
              createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
              serverVersion: 0, syncState: 'to_post',
            });
            tx.objectStore('outbox').put({ seq, mutationId: crypto.randomUUID(), recordId: id, op: 'upsert',
              baseVersion: 0, patch: { id, occurredOn: day }, createdAt: new Date().toISOString() });
            // The same value back: the timing has the counter's read and write, the tallies no change.
            const c = counters.get(key);
            c.onsuccess = () => { if (c.result) counters.put(c.result); };
            meta.put(row);
          };
          await done(tx);
          times.push(performance.now() - t0);
          const undo = db.transaction(['records', 'outbox'], 'readwrite');
          undo.objectStore('records').delete(id);
          undo.objectStore('outbox').delete(seq);
          await done(undo);
        }
        db.close();
        return times;
      })()`,
    )) as number[],
  );
}

/**
 * The list's first page (records-repo.ts myRecordsPage): own records newest first from the
 * [own+occurredOn] index, the first screenful of them.
 */
export async function rawListPage(page: Page): Promise<number> {
  return median(
    (await page.evaluate(
      `(async () => {
        const db = await new Promise((resolve, reject) => {
          const req = indexedDB.open('sotay');
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const times = [];
        for (let i = 0; i < ${REPEAT}; i++) {
          const t0 = performance.now();
          const rows = await new Promise((resolve, reject) => {
            const out = [];
            const index = db.transaction('records', 'readonly').objectStore('records').index('[own+occurredOn]');
            const req = index.openCursor(IDBKeyRange.bound([1, -Infinity], [1, [[]]]), 'prev');
            req.onsuccess = () => {
              const cursor = req.result;
              if (!cursor || out.length === ${FIRST}) return resolve(out);
              out.push(cursor.value);
              cursor.continue();
            };
            req.onerror = () => reject(req.error);
          });
          if (rows.length === 0) throw new Error('no own records to list');
          times.push(performance.now() - t0);
        }
        db.close();
        return times;
      })()`,
    )) as number[],
  );
}

/**
 * The tallies' reads (records-repo.ts ownTallyPeriods): the counter rows of the month and week
 * around today in one key range, summed per period, and the distinct device keys from the keys of
 * the [own+occurredOn+deviceCitizenKey] index over the same days.
 */
export async function rawTallies(page: Page): Promise<number> {
  return median(
    (await page.evaluate(
      `(async () => {
        const db = await new Promise((resolve, reject) => {
          const req = indexedDB.open('sotay');
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const pad = (n) => String(n).padStart(2, '0');
        const day = (d) => d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
        const now = new Date();
        const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
        const spans = [
          [day(now), day(now)],
          [day(monday), day(new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 6))],
          [day(new Date(now.getFullYear(), now.getMonth(), 1)), day(new Date(now.getFullYear(), now.getMonth() + 1, 0))],
        ];
        const from = spans.map((s) => s[0]).sort()[0];
        const to = spans.map((s) => s[1]).sort()[2];
        const times = [];
        for (let i = 0; i < ${REPEAT}; i++) {
          const t0 = performance.now();
          const tx = db.transaction(['counters', 'records'], 'readonly');
          const [rows, keys] = await Promise.all([
            new Promise((resolve, reject) => {
              const req = tx.objectStore('counters').getAll(IDBKeyRange.bound([from], [to, [[]]]));
              req.onsuccess = () => resolve(req.result);
              req.onerror = () => reject(req.error);
            }),
            new Promise((resolve, reject) => {
              const out = [];
              const index = tx.objectStore('records').index('[own+occurredOn+deviceCitizenKey]');
              const req = index.openKeyCursor(IDBKeyRange.bound([1, from, -Infinity], [1, to, [[]]]));
              req.onsuccess = () => {
                const cursor = req.result;
                if (!cursor) return resolve(out);
                out.push(cursor.key);
                cursor.continue();
              };
              req.onerror = () => reject(req.error);
            }),
          ]);
          const sums = spans.map(([a, b]) => {
            let total = 0;
            for (const r of rows) if (r.day >= a && r.day <= b) total += r.n;
            const seen = new Set();
            for (const k of keys) if (k[1] >= a && k[1] <= b) seen.add(k[2]);
            return [total, seen.size];
          });
          if (sums.length !== 3) throw new Error('three periods expected');
          times.push(performance.now() - t0);
        }
        db.close();
        return times;
      })()`,
    )) as number[],
  );
}
