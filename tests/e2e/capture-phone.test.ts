// The capture form on the smallest phone we support (320×568) with the phone's text at 130 %: nothing
// runs past the screen edge, the save bar keeps its buttons on screen, a focused field is never under
// the bar, and opening "Liên hệ theo dõi" brings it into view.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let app: AppPage;

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 320, height: 568 }, locale: 'vi-VN' });
  app = new AppPage(await context.newPage());
  await app.open(server.url);
  await app.login('demo-tnv', 'demo');
  // What a phone's "large text" setting does to a page sized in rem.
  await app.page.addStyleTag({ content: 'html { font-size: 130%; }' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const barTop = (page: Page) =>
  page.getByTestId('save-bar').evaluate((bar) => bar.getBoundingClientRect().top);

test('at 130 % text nothing is wider than the screen and the save bar keeps its buttons on it', async () => {
  const { page } = app;
  await app.goToCapture();
  await page.getByRole('radio', { name: 'Thẻ căn cước', exact: true }).check();
  await page.getByLabel('Thôn/ấp').selectOption({ index: 1 });
  await page.getByRole('radio', { name: 'Hoàn thành', exact: true }).check();
  await app.saveButton.click();
  await page.getByRole('button', { name: 'Hoàn tác' }).waitFor();

  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  for (const button of [app.saveButton, page.getByRole('button', { name: 'Hoàn tác' })]) {
    const box = (await button.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(320);
  }
  const bar = (await page.getByTestId('save-bar').boundingBox())!;
  expect(bar.y + bar.height).toBeLessThanOrEqual(568);
});

test('a field focused near the bottom is scrolled clear of the save bar', async () => {
  const { page } = app;
  await app.goToCapture();
  await page.getByText('Thông tin thêm', { exact: true }).click();
  const note = page.getByLabel('Ghi chú');
  await note.waitFor();
  // Scrolled so the note sits on the screen but under the bar, then focused the way a keyboard or a
  // refused save does: the browser must count the bar's height as out of view.
  await note.evaluate((el) => {
    const box = el.getBoundingClientRect();
    document.querySelector('main')!.scrollBy(0, box.bottom - (window.innerHeight - 8));
  });
  expect((await note.boundingBox())!.y).toBeGreaterThan(await barTop(page));
  await note.focus();
  await expect
    .poll(async () => {
      const box = (await note.boundingBox())!;
      return box.y + box.height <= (await barTop(page));
    })
    .toBe(true);
  // And the end of the form can always scroll above the bar.
  await page.evaluate(() => {
    const main = document.querySelector('main')!;
    main.scrollTo(0, main.scrollHeight);
  });
  const contact = (await page.getByText('Liên hệ theo dõi', { exact: true }).boundingBox())!;
  expect(contact.y + contact.height).toBeLessThanOrEqual(await barTop(page));
});

test('opening "Liên hệ theo dõi" scrolls the section into view', async () => {
  const { page } = app;
  await app.goToCapture();
  await page.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
  const summary = page.getByText('Liên hệ theo dõi', { exact: true });
  // Tapped where it is, without the test scrolling it first.
  await summary.evaluate((el) => (el as HTMLElement).click());
  const consent = page.getByLabel('Người dân đã nghe thông báo và đồng ý');
  await expect
    .poll(async () => {
      const box = await summary.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= (await barTop(page));
    })
    .toBe(true);
  expect(await consent.isVisible()).toBe(true);
});
