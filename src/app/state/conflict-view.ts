// How a conflict reads to a lead: Vietnamese field labels, coded values as their labels (hamlet
// names, categories…), who wrote each value in which role, and when. Pure.
import {
  AGE_BANDS,
  CATEGORIES,
  FAIL_REASONS,
  OUTCOMES,
  PLACES,
  SERVICE_CATALOGUE,
  SEXES,
  fieldLabelVi,
  formatDayVi,
  type Hamlet,
  type Labelled,
} from '../../shared/index.ts';
import { tConflicts } from '../i18n/conflicts.ts';

const CODED: Record<string, readonly Labelled<string>[]> = {
  category: CATEGORIES,
  outcome: OUTCOMES,
  failReason: FAIL_REASONS,
  place: PLACES,
  ageBand: AGE_BANDS,
  sex: SEXES,
};

export { fieldLabelVi };

/** One field value as a person reads it. */
export function valueLabelVi(field: string, value: unknown, hamlets: readonly Hamlet[] = []): string {
  if (value === null || value === undefined || value === '') return tConflicts.emptyValue;
  if (typeof value === 'boolean') return value ? tConflicts.yes : tConflicts.no;
  if (typeof value !== 'string') return JSON.stringify(value);
  const list = CODED[field];
  if (list) return list.find((l) => l.code === value)?.vi ?? value;
  if (field === 'hamletId') return hamlets.find((h) => h.id === value)?.name ?? value;
  if (field === 'serviceCode') return SERVICE_CATALOGUE.services.find((s) => s.code === value)?.name ?? value;
  if (field === 'occurredOn' || field === 'followUpOn') return formatDayVi(value);
  return value;
}

/**
 * Who wrote a value, as a lead reads it: the role in Vietnamese, "(bạn)" when it was this user.
 * The server names authors by user id only, which means nothing to a person, so it is not shown.
 */
export function authorLabelVi(side: { by: string; role: string } | null, meId?: string): string {
  if (!side) return tConflicts.unknownAuthor;
  const role = tConflicts.roles[side.role] ?? side.role;
  return side.by === meId ? `${role} ${tConflicts.you}` : role;
}

/** An ISO time as "dd/mm/yyyy hh:mm" on the device's clock. */
export function formatTimeVi(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
