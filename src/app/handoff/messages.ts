// A hand-off failure as a sentence for the person, in the UI language (the error catalogue's text).
import { tHandoff } from '../i18n/handoff.ts';
import { AppError, ERRORS } from '../../shared/index.ts';
import { lang } from '../i18n/index.ts';

export function handoffErrorMessage(e: unknown): string {
  if (e instanceof AppError) return ERRORS[e.code][lang];
  return tHandoff.failed;
}

/** "03/11/2026–20/11/2026", one day alone, or '' without dates. */
export function dayRange(from: string | null, to: string | null): string {
  const f = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  if (!from || !to) return '';
  return from === to ? f(from) : `${f(from)}–${f(to)}`;
}
