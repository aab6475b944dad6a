// Page model of the PWA as a volunteer uses it: log in, capture, list, watch the sync status.
// Tests speak in these verbs; the selectors follow what a person sees (labels, roles, texts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';
import { appTookOver } from '../support/app-took-over.ts';

const require_resolve = createRequire(import.meta.url).resolve;

/** A link of the bottom navigation (`Ghi nhận`, `Bản ghi`, … `Thêm`). */
export function navLink(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name, exact: true });
}

/**
 * Opens a place by its label: from the bottom navigation, or through "Thêm" when it sits there
 * (a lead's "Giao nhận", "Lưu trữ", "Xung đột", "Tổng hợp"). Waits for the navigation (after a login).
 */
export async function goToPlace(page: Page, name: string, timeout = 15_000): Promise<void> {
  await navLink(page, 'Thêm').waitFor({ timeout });
  const direct = navLink(page, name);
  if ((await direct.count()) > 0) {
    await direct.click();
    return;
  }
  await navLink(page, 'Thêm').click();
  await page
    .getByRole('navigation', { name: 'Chức năng khác' })
    .getByRole('link', { name, exact: true })
    .click();
}

export class AppPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  async login(username: string, password: string): Promise<void> {
    await appTookOver(this.page);
    await this.page.getByLabel('Tên đăng nhập').fill(username);
    await this.page.getByLabel('Mật khẩu').fill(password);
    await this.page.getByRole('button', { name: 'Đăng nhập' }).click();
    await this.saveButton.waitFor();
    await this.skipOnboarding();
  }

  get saveButton(): Locator {
    return this.page.getByRole('button', { name: 'Lưu', exact: true });
  }

  get status(): Locator {
    return this.page.getByRole('status').first();
  }

  /** Saves one assistance the common way: a category, a hamlet, an outcome, then "Lưu". */
  async capture(opts: { category: string; hamlet: string; outcome: string }): Promise<void> {
    await this.goToCapture();
    await this.page.getByRole('radio', { name: opts.category, exact: true }).check();
    await this.page.getByLabel('Thôn/ấp').selectOption({ label: opts.hamlet });
    await this.page.getByRole('radio', { name: opts.outcome, exact: true }).check();
    await this.saveButton.click();
    await this.page.getByText('Đã lưu').first().waitFor();
  }

  async goToCapture(): Promise<void> {
    await this.goTo('Ghi nhận');
    await this.saveButton.waitFor();
  }

  async goToRecords(): Promise<void> {
    await this.goTo('Bản ghi');
  }

  async goToTallies(): Promise<void> {
    await this.goTo('Thống kê');
    await this.page.getByRole('heading', { name: 'Thống kê của tôi' }).waitFor();
  }

  async goToStorage(): Promise<void> {
    await this.goTo('Lưu trữ');
    await this.page.getByRole('heading', { name: 'Lưu trữ trên máy' }).waitFor();
  }

  /** Opens a place by its label, through "Thêm" when it is not on the bottom bar. */
  async goTo(name: string): Promise<void> {
    await goToPlace(this.page, name);
  }

  /** "Đồng bộ" on the "Thêm" place. */
  async syncNow(): Promise<void> {
    await this.goTo('Thêm');
    await this.page.getByRole('button', { name: 'Đồng bộ', exact: true }).click();
  }

  /** Today's own count on "Thống kê". */
  async tallyToday(): Promise<number> {
    await this.goToTallies();
    return Number(await this.page.locator('[data-period="today"]').textContent());
  }

  /** Runs axe-core on the page as it is; returns the serious and critical violations. */
  /** axe-core's violations of any impact on the page as it is now (no screen may have any). */
  async a11yViolations(): Promise<{ id: string; impact: string; targets: string[] }[]> {
    return this.#axe(['minor', 'moderate', 'serious', 'critical']);
  }

  async seriousA11yViolations(): Promise<{ id: string; impact: string; targets: string[] }[]> {
    return this.#axe(['serious', 'critical']);
  }

  async #axe(impacts: string[]): Promise<{ id: string; impact: string; targets: string[] }[]> {
    // Evaluated through the DevTools protocol: an injected <script> tag would be refused by the
    // app's strict CSP, as it should be.
    if (!(await this.page.evaluate(() => 'axe' in window)))
      await this.page.evaluate(readFileSync(require_resolve('axe-core/axe.min.js'), 'utf8'));
    return this.page.evaluate(async (wanted) => {
      const axe = (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe;
      const result = await axe.run();
      return result.violations
        .filter((v) => wanted.includes(v.impact ?? 'minor'))
        .map((v) => ({ id: v.id, impact: v.impact ?? '', targets: v.nodes.map((n) => n.target.join(' ')) }));
      interface AxeResults {
        violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[];
      }
    }, impacts);
  }

  /** Rows of the outbox in this page's IndexedDB (nothing waiting is 0). */
  async outboxCount(): Promise<number> {
    return this.page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('sotay');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const count = db.transaction('outbox').objectStore('outbox').count();
            count.onsuccess = () => {
              resolve(count.result);
              db.close();
            };
            count.onerror = () => reject(count.error);
          };
        }),
    );
  }

  /** The number of records waiting, as the status bar holds it (data-pending). */
  async pendingCount(): Promise<number> {
    return Number(await this.status.getAttribute('data-pending'));
  }

  /** The list rows, optionally only those in one sync state. */
  records(state?: string): Locator {
    return this.page.locator(state ? `li[data-sync-state="${state}"]` : 'li[data-sync-state]');
  }

  /** A link of the bottom navigation. */
  nav(name: string): Locator {
    return navLink(this.page, name);
  }

  /** Resolves once a service worker controls this page (the shell is precached). */
  async waitForServiceWorker(timeoutMs = 15_000): Promise<void> {
    await this.page.evaluate(async (ms) => {
      const controlled = (async () => {
        await navigator.serviceWorker.ready;
        if (navigator.serviceWorker.controller) return;
        await new Promise<void>((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
        );
      })();
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no service worker controls the page')), ms),
      );
      await Promise.race([controlled, timeout]);
    }, timeoutMs);
  }

  /** The first-run onboarding over the app, if it shows (it renders with the capture form). */
  get onboarding(): Locator {
    return this.page.locator('[data-onboarding]');
  }

  /** "Bỏ qua" on the first-run onboarding when this phone shows it; nothing otherwise. */
  async skipOnboarding(): Promise<void> {
    if ((await this.onboarding.count()) === 0) return;
    await this.page
      .getByRole('dialog', { name: 'Hướng dẫn bắt đầu' })
      .getByRole('button', { name: 'Bỏ qua' })
      .click();
    await this.onboarding.waitFor({ state: 'detached' });
  }

  /** A lead's review queue: its place in the navigation ("Duyệt", formerly "Bản ghi của tổ"). */
  async goToReviewQueue(): Promise<void> {
    await this.page
      .locator('nav')
      .getByText(/^(Duyệt|Bản ghi của tổ)$/)
      .click();
    await this.page.getByRole('heading', { name: 'Bản ghi của tổ' }).waitFor();
  }

  /**
   * axe-core's violations of any impact inside what `selector` matches: one screen's own part, the
   * page-wide rules (landmarks around the screens) being the shell's tour's to check.
   */
  async a11yViolationsIn(selector: string): Promise<{ id: string; impact: string; targets: string[] }[]> {
    // A selector matching nothing would check nothing and pass.
    if ((await this.page.locator(selector).count()) === 0) throw new Error(`nothing matches ${selector}`);
    if (!(await this.page.evaluate(() => 'axe' in window)))
      await this.page.evaluate(readFileSync(require_resolve('axe-core/axe.min.js'), 'utf8'));
    return this.page.evaluate(async (include) => {
      const axe = (window as unknown as { axe: { run: (context: string) => Promise<AxeResults> } }).axe;
      const result = await axe.run(include);
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
      interface AxeResults {
        violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[];
      }
    }, selector);
  }

  /** The page's width in CSS pixels with the phone's text size at `percent` (then back to 100 %). */
  async widthAtTextSize(percent: number): Promise<number> {
    return this.page.evaluate((size) => {
      const root = document.documentElement;
      root.style.fontSize = `${size}%`;
      const width = root.scrollWidth;
      root.style.fontSize = '';
      return width;
    }, percent);
  }
}
