// Timing helpers for the tab screens and the save (their time budgets): work that the
// user does not wait for runs after the frame that shows what they did, or when the browser idles.

/** Run `work` once the next frame is painted (a task after the next animation frame). */
export function afterPaint(work: () => void): void {
  if (typeof requestAnimationFrame !== 'function') {
    setTimeout(work, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(work, 0));
}

/** Run `work` when the browser is idle, at the latest after `timeout` ms. */
export function whenIdle(work: () => void, timeout = 2000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout });
  else setTimeout(work, 0);
}
