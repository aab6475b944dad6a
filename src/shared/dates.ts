// Calendar days as `YYYY-MM-DD` strings. Device clocks order nothing; these are only what a person entered.

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day between 2000-01-01 and 2099-12-31. */
export function isCalendarDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  return y >= 2000 && y <= 2099 && dayExists(value);
}

/** Whether a `YYYY-MM-DD` day exists in any year (a query bound may lie far ahead; 02-30 never exists). */
export function dayExists(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

/** The local calendar day of `now` (what "today" means to the volunteer). */
export function localDay(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** `YYYY-MM-DD` → `dd/mm/yyyy`, the form Vietnamese readers expect. */
export function formatDayVi(day: string): string {
  const m = DAY_RE.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/**
 * The commune's time zone (docs/reporting.md): Asia/Ho_Chi_Minh is UTC+7 all year (no daylight
 * saving), so a fixed offset gives its calendar day on any device, whatever zone the device is set to.
 */
export const COMMUNE_UTC_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The calendar day of `now` in the commune's time zone. */
export function communeDay(now: Date = new Date()): string {
  return new Date(now.getTime() + COMMUNE_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The latest day a record may say it happened on: tomorrow in commune time. A day of slack, since a
 * phone's date may be set a few hours ahead; anything later is a wrong date (usually the phone's).
 */
export function latestOccurredOn(now: Date = new Date()): string {
  const at = new Date(now.getTime() + COMMUNE_UTC_OFFSET_MS + 24 * 60 * 60 * 1000);
  return at.toISOString().slice(0, 10);
}

/** True when `day` (YYYY-MM-DD) is after tomorrow in commune time. */
export function isFutureDay(day: string, now: Date = new Date()): boolean {
  return day > latestOccurredOn(now);
}
