// The hand-off state of records for the lists ("đã giao, chờ xác nhận", "tổ trưởng đã nhận"): a
// small read kept apart from the bundle code, so the records list does not load it.
import type { Dexie } from 'dexie';
import { tables } from '../db/handoff-tables.ts';

/** Record id → its hand-off mark; 'delivered' wins over 'handed_over' when a record has both. */
export async function recordMarks(db: Dexie): Promise<Map<string, 'handed_over' | 'delivered'>> {
  const marks = await tables(db).handoffMarks.toArray();
  const out = new Map<string, 'handed_over' | 'delivered'>();
  for (const m of marks) if (out.get(m.recordId) !== 'delivered') out.set(m.recordId, m.state);
  return out;
}
