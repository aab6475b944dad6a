// Data-subject requests on the server: the ID number is hashed with the commune secret (from the key
// file, citizen-secret.ts) at once and then forgotten (it is never stored, never logged: it travels in a POST body, which Fastify does
// not log). Erasure goes through the normal versioned path: a tombstone that every device pulls,
// the contact deleted, and the citizen's key, consent, note and review comments scrubbed from the
// record, its reviews and its history.
import {
  AppError,
  idNumberProblem,
  normaliseIdNumber,
  type SubjectRecord,
  type SubjectRequest,
  type SubjectResponse,
} from '../../shared/index.ts';
import { subjectTable, type SubjectNames } from '../../shared/citizen/subject-table.ts';
import type { RecordRow, Store, Tx, UserRow } from '../store/store.ts';
import { withoutServerOnly } from './server-only.ts';
import { decryptAtRest } from './contact-vault.ts';
import type { ServerKeys } from './keys.ts';

/** History fields that could point back at the citizen; erased with the record. */
export const ERASED_HISTORY_FIELDS = [
  'citizenKey',
  'contact',
  'note',
  'consentGiven',
  'consentMethod',
  'consentNotice',
  'consentAt',
  // A reviewer's comment is about the citizen's case: it may name them as the note may.
  'reviewComment',
] as const;

const ID_MESSAGES: Record<string, string> = {
  required: 'Vui lòng nhập số định danh cá nhân.',
  id_digits: 'Số định danh phải gồm đúng 12 chữ số.',
  id_province: '3 chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh.',
  id_century: 'Chữ số thứ 4 (giới tính, thế kỷ sinh) không hợp lệ.',
};

async function citizenKey(store: Store, keys: ServerKeys, user: UserRow, idNumber: string): Promise<string> {
  const problem = idNumberProblem(idNumber);
  if (problem)
    throw new AppError('invalid_request', {
      fields: [{ field: 'idNumber', code: problem, message: ID_MESSAGES[problem] }],
    });
  if (!(await store.getCommune(user.communeCode))) throw new AppError('not_found');
  return keys.citizen.keyOf(user.communeCode, normaliseIdNumber(idNumber));
}

async function linkedRows(tx: Tx, communeCode: string, key: string): Promise<RecordRow[]> {
  const ids = await tx.recordIdsByCitizenKey(communeCode, key);
  const rows = await Promise.all(ids.map((id) => tx.getRecord(id)));
  return rows.filter((r): r is RecordRow => r !== null);
}

function summary(row: RecordRow): SubjectRecord {
  // The key itself stays on the server: the answer shows what it found, not how. Who helped is
  // part of what the commune holds about the case, as a pull shows it (erased records hold nothing).
  const data = withoutServerOnly({ ...row.data });
  if (Object.keys(data).length > 0) data.volunteerId = row.volunteerId;
  return { id: row.id, version: row.version, deleted: row.deleted, data };
}

export async function subjectRequest(
  store: Store,
  keys: ServerKeys,
  user: UserRow,
  req: SubjectRequest,
  now = new Date(),
): Promise<SubjectResponse> {
  const key = await citizenKey(store, keys, user, req.idNumber);
  if (req.action === 'find') {
    const rows = await store.transaction((tx) => linkedRows(tx, user.communeCode, key));
    return { action: 'find', records: rows.map(summary) };
  }
  if (req.action === 'export') {
    const records = await store.transaction(async (tx) => {
      const rows = await linkedRows(tx, user.communeCode, key);
      const out: SubjectRecord[] = [];
      for (const row of rows) {
        const c = await tx.getContact(row.id);
        out.push({ ...summary(row), contact: c ? decryptAtRest(keys, row.id, c.sealed) : null });
      }
      return out;
    });
    return { action: 'export', records };
  }
  const at = now.toISOString();
  return store.transaction(async (tx) => {
    const rows = await linkedRows(tx, user.communeCode, key);
    let erased = 0;
    const out: SubjectRecord[] = [];
    for (const row of rows) {
      await tx.deleteContact(row.id);
      let current = row;
      if (!row.deleted) {
        erased += 1;
        const version = await tx.nextVersion();
        current = { ...row, version, deleted: true, data: {}, fieldMeta: {}, updatedAt: at };
        await tx.putRecord(current);
        // `replaced` stays empty: the erased content must not survive in history either.
        await tx.addHistory({
          recordId: row.id,
          version,
          mutationId: null,
          userId: user.id,
          op: 'delete',
          patch: {},
          replaced: {},
          lost: null,
          won: null,
          at,
        });
      }
      await tx.scrubHistory(row.id, ERASED_HISTORY_FIELDS);
      await tx.eraseReviewComments(row.id);
      out.push(summary(current));
    }
    return { action: 'erase', records: out, erased };
  });
}

/**
 * CSV of an export, as the citizen reads it (`subjectTable`): Vietnamese headers and labels,
 * dd/mm/yyyy days, one column for the record id, the contact in its own columns, formula-safe cells.
 */
export function subjectCsv(res: SubjectResponse, names: SubjectNames): string {
  const { headers, rows } = subjectTable(res.records, names, true);
  const cell = (v: string): string => {
    const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [headers, ...rows].map((r) => r.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
