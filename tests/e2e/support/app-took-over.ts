import type { Page } from 'playwright-core';

/**
 * Waits until the app has replaced index.html's static login form. Playwright's `fill` checks an
 * input is attached and then types in a later step, so a form swapped in between takes the text
 * into the detached static input (a person's keystrokes cannot land there). The static form's own
 * behaviour is tested in static-login.test.ts.
 */
export async function appTookOver(page: Page): Promise<void> {
  await page.locator('#static-login').waitFor({ state: 'detached' });
}
