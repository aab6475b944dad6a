// The active UI language: Vietnamese by default, English when chosen (kept in localStorage; a
// switch reloads the page so every screen reads the new strings).
import type { Messages } from './messages.ts';
import { vi } from './vi.ts';

export type { Messages } from './messages.ts';
// The Vietnamese glossary for lazy screens' own Vietnamese blocks (hand-off, dashboard).
export { glossaryVi } from './glossary.ts';
export type Lang = 'vi' | 'en';
export const LANG_KEY = 'sotay.lang';

function storedLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export const lang: Lang = storedLang();
// English is its own chunk (precached, so it works offline): most phones never load it, and the
// JS reachable from index.html stays inside its byte budget (docs/performance.md).
export const t: Messages = lang === 'en' ? (await import('./en.ts')).en : vi;

/** Remember the choice and reload into it. */
export function setLang(next: Lang, reload: () => void = () => location.reload()): void {
  try {
    localStorage.setItem(LANG_KEY, next);
  } catch {
    // Private mode without storage: the switch lasts this page only.
  }
  if (next !== lang) reload();
}

/** Catalogue label in the active language. */
export function label(list: readonly { code: string; vi: string; en: string }[], code: string): string {
  const item = list.find((l) => l.code === code);
  return item ? item[lang] : code;
}

/** The badge text of a record's sync state ("Lỗi: <lý do>" for errors). */
export function syncStateLabel(state: SyncStateName, reason?: string): string {
  return state === 'error' ? t.syncState.error(reason || t.sync.unknownError) : t.syncState[state];
}
type SyncStateName = 'to_post' | 'to_update' | 'uploading' | 'synced' | 'error';

/**
 * The label of a record's review state: "Cần sửa" for `has_issues` (what the volunteer must do),
 * else the state's name; an unknown state shows as it came.
 */
export function reviewStateLabel(state: string): string {
  if (state === 'has_issues') return t.review.needsFix;
  return Object.hasOwn(t.review.states, state)
    ? t.review.states[state as keyof Messages['review']['states']]
    : state;
}

/** The short name of a place of the bottom bar or the "Thêm" list (state/route.svelte.ts). */
export function placeLabel(
  place: keyof Messages['shell']['places'] | Exclude<keyof Messages['nav'], 'label'> | 'handoff',
): string {
  const names: Record<string, string> = { ...t.nav, handoff: t.handoff.tab, ...t.shell.places };
  return names[place] ?? place;
}
