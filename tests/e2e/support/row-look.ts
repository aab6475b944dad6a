// How a list row (records, group sessions) is drawn in Chromium: the computed styles its lines and
// badge end up with, so a row shared between screens is seen to keep each screen's look.
import type { Locator } from 'playwright-core';

export interface RowLook {
  /** The button: flex row, at least 56 px tall. */
  row: { display: string; minHeight: string };
  /** The left column: its overflow-wrap. */
  what: string;
  /** Each line under the bold title, by its class (or "plain"): colour, size, weight. */
  lines: Record<string, { color: string; fontSize: string; fontWeight: string }>;
  /** The sync badge: its widest share of the row, its size and its pill. */
  badge: { maxWidth: string; fontSize: string; borderRadius: string };
}

/** The look of the first row matched by `item` (an `li`). */
export function rowLook(item: Locator): Promise<RowLook> {
  return item.evaluate((li) => {
    const style = (el: Element) => getComputedStyle(el);
    const button = li.querySelector('button')!;
    const what = button.querySelector('strong')!.parentElement!;
    const badge = [...button.children].find((el) => el !== what)!;
    const lines: RowLook['lines'] = {};
    for (const span of what.querySelectorAll(':scope > span')) {
      const s = style(span);
      lines[span.className.replace(/\s*svelte-\w+/g, '').trim() || 'plain'] = {
        color: s.color,
        fontSize: s.fontSize,
        fontWeight: s.fontWeight,
      };
    }
    const b = style(badge);
    return {
      row: { display: style(button).display, minHeight: style(button).minHeight },
      what: style(what).overflowWrap,
      lines,
      badge: { maxWidth: b.maxWidth, fontSize: b.fontSize, borderRadius: b.borderRadius },
    };
  });
}
