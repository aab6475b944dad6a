// A record's values as a Vietnamese reader sees them (exports, the data-subject answer): labels for
// codes, dd/mm/yyyy for days, commune time for server timestamps, "Có"/"Không" for yes/no. Imported
// by path, not through the shared index, which kept it in the app's first load.
import {
  AGE_BANDS,
  CATEGORIES,
  FAIL_REASONS,
  OUTCOMES,
  PLACES,
  SERVICE_CATALOGUE,
  SEXES,
  type Labelled,
} from './catalogue/index.ts';
import { CONSENT_METHODS } from './citizen/consent.ts';
import { COMMUNE_UTC_OFFSET_MS, formatDayVi } from './dates.ts';

const CHOICES: Record<string, readonly Labelled<string>[]> = {
  category: CATEGORIES,
  outcome: OUTCOMES,
  failReason: FAIL_REASONS,
  place: PLACES,
  ageBand: AGE_BANDS,
  sex: SEXES,
  consentMethod: CONSENT_METHODS,
};

export const YES_VI = 'Có';
export const NO_VI = 'Không';

/** The Vietnamese label of a coded field's value; an unknown code is shown as it is. */
export function choiceLabelVi(field: string, code: unknown): string {
  if (code === null || code === undefined || code === '') return '';
  const list = CHOICES[field];
  const s = String(code);
  return list?.find((l) => l.code === s)?.vi ?? s;
}

/** True for the fields `choiceLabelVi` names. */
export function isChoiceField(field: string): boolean {
  return field in CHOICES;
}

/** A service's name from the built-in catalogue, or '' for a code it does not know. */
export function serviceNameVi(code: unknown): string {
  if (typeof code !== 'string' || code === '') return '';
  return SERVICE_CATALOGUE.services.find((s) => s.code === code)?.name ?? '';
}

/**
 * An ISO timestamp as the commune's wall clock, `{ day: 'YYYY-MM-DD', time: 'HH:MM:SS' }`
 * (Asia/Ho_Chi_Minh, UTC+7 all year), or null when it does not parse.
 */
export function communeClock(iso: unknown): { day: string; time: string } | null {
  if (typeof iso !== 'string') return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const local = new Date(ms + COMMUNE_UTC_OFFSET_MS).toISOString();
  return { day: local.slice(0, 10), time: local.slice(11, 19) };
}

/** An ISO timestamp as `dd/mm/yyyy HH:mm`, commune time ('' when it does not parse). */
export function formatDateTimeVi(iso: unknown): string {
  const c = communeClock(iso);
  return c ? `${formatDayVi(c.day)} ${c.time.slice(0, 5)}` : '';
}
