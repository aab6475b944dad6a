// The printed report end to end: the demo commune with its months of activity, the admin's report
// settings set once over the API, then a supervisor (the whole commune) and a lead (one team) print
// each view of "Tổng hợp" to PDF in Chromium. What the PDF says (read with Poppler) must name the
// view and the scope, carry the administrative form, and show the same figures as GET /report.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  CATEGORY_CODES,
  FAIL_REASON_CODES,
  OUTCOMES,
  OUTCOME_CODES,
  formatDayVi,
  formatNumberVi,
  formatProgressVi,
  labelOf,
  type ReportSettings,
  type ReportSummary,
  type ReportView,
} from '../../src/shared/index.ts';
import { pdfText } from '../support/pdf.ts';
import { goToPlace } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { apiLogin, startServer, type RunningServer } from './support/server.ts';
import { appTookOver } from './support/app-took-over.ts';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

const SETTINGS: ReportSettings = {
  issuer: 'UBND XÃ AN BÌNH',
  numberSuffix: 'BC-UBND',
  addressees: ['Ủy ban nhân dân huyện Demo', 'Công an huyện Demo'],
  bases: ['Căn cứ Kế hoạch số 01/KH-UBND về Đề án 06 của xã'],
  recipients: ['Như trên', 'Lưu: VT'],
  signerCapacity: 'TM. ỦY BAN NHÂN DÂN',
  signerTitle: 'CHỦ TỊCH',
  signerName: 'Người Ký Mẫu',
};

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir'), activity: true });
  browser = await launchChromium();
  const admin = await apiLogin(server.url, 'demo-admin');
  const res = await fetch(`${server.url}/api/v1/report-settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(SETTINGS),
  });
  if (!res.ok) throw new Error(`report settings: ${res.status} ${await res.text()}`);
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

async function openDashboard(username: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  contexts.push(context);
  // The first-run guide is another test's subject; this phone has seen it.
  await context.addInitScript(() => localStorage.setItem('sotay.onboarded', '1'));
  const page = await context.newPage();
  await page.goto(server.url);
  await appTookOver(page);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await goToPlace(page, 'Tổng hợp');
  await page.getByRole('button', { name: 'Quý', exact: true }).click();
  return page;
}

async function reportOf(
  username: string,
  from: string,
  to: string,
  view: ReportView,
): Promise<ReportSummary> {
  const token = await apiLogin(server.url, username);
  const res = await fetch(`${server.url}/api/v1/report?from=${from}&to=${to}&view=${view}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ReportSummary;
}

/** The PDF's text with every run of white space as one space (table cells wrap over lines). */
function flat(pages: string[]): string {
  return pages.join(' ').replace(/\s+/g, ' ');
}

/** `s` as a regular expression that allows any white space where it has a space. */
function loose(s: string): RegExp {
  return new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
}

const CASES: { username: string; view: ReportView; scope: string }[] = [
  { username: 'demo-gs', view: 'all', scope: 'Toàn xã' },
  { username: 'demo-gs', view: 'de_an_06', scope: 'Toàn xã' },
  { username: 'demo-lead', view: 'all', scope: 'Tổ CNS số 1' },
  { username: 'demo-lead', view: 'de_an_06', scope: 'Tổ CNS số 1' },
];

describe('the printed report', () => {
  for (const c of CASES) {
    test(`${c.username} prints the ${c.view} view: A4, its form, its scope and the API's figures`, async () => {
      const page = await openDashboard(c.username);
      if (c.view === 'de_an_06') await page.getByRole('button', { name: 'Đề án 06 (công an xã)' }).click();
      const range = page.locator('output[data-from]');
      const from = (await range.getAttribute('data-from')) ?? '';
      const to = (await range.getAttribute('data-to')) ?? '';
      const summary = await reportOf(c.username, from, to, c.view);
      expect(summary.scope.label).toBe(c.scope);
      // The screen has drawn this answer: its total is the API's.
      await expect
        .poll(() => page.locator('[data-total="count"] dd').first().textContent(), { timeout: 20_000 })
        .toBe(formatNumberVi(summary.totals.current.count));

      const pdf = await page.pdf({ preferCSSPageSize: true });
      const { pages, pageSize } = await pdfText(pdf);
      mkdirSync('test-results/print', { recursive: true });
      writeFileSync(`test-results/print/${c.username}-${c.view}.pdf`, pdf);
      expect(pageSize).toContain('A4');
      const text = flat(pages);

      // The administrative form.
      expect(text).toContain(SETTINGS.issuer);
      expect(text).toMatch(/Số:\s*[.…]*\s*\/BC-UBND/);
      expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
      expect(text).toContain('BÁO CÁO');
      for (const a of SETTINGS.addressees) expect(text).toContain(a);
      expect(text).toContain(SETTINGS.bases[0]);
      expect(text).toContain('Nơi nhận');
      expect(text).toContain(SETTINGS.signerTitle);
      expect(text).toContain(SETTINGS.signerName);
      // The scope and the view named; the period and, while it runs, the as-of date.
      expect(text).toContain(c.scope);
      if (c.view === 'de_an_06') expect(text).toContain('Đề án 06');
      expect(text).toContain(formatDayVi(from));
      expect(text).toContain(formatDayVi(to));
      if (summary.asOf) expect(text).toContain(formatDayVi(summary.asOf));

      // The figures are the API's: totals with the refused records beside them, the hamlet ×
      // category table's total row, outcomes, the share paid online, the ranked volunteers and
      // every target with its own scope.
      const all = flat(pages);
      const n = formatNumberVi;
      const totals = summary.totals.current;
      expect(all).toMatch(
        loose(
          `Tổng số bản ghi: ${n(totals.count + totals.rejected)}, trong đó bị từ chối khi duyệt: ` +
            `${n(totals.rejected)} (không tính); số lượt hỗ trợ được tính: ${n(totals.count)}.`,
        ),
      );
      expect(all).toMatch(loose(`Số lượt hỗ trợ ${n(totals.count)} ${n(summary.totals.previous.count)}`));
      const byCategory = summary.categories.filter((c) => c.count.current > 0);
      expect(byCategory.reduce((sum, c) => sum + c.count.current, 0)).toBe(totals.count);
      expect(all).toMatch(
        loose(`Tổng cộng ${byCategory.map((c) => n(c.count.current)).join(' ')} ${n(totals.count)}`),
      );
      for (const o of summary.outcomes) {
        const label = labelOf(OUTCOMES, o.outcome as (typeof OUTCOME_CODES)[number]);
        expect(all).toMatch(loose(`${label} ${n(o.count.current)} `));
      }
      if (summary.payment.withService > 0)
        expect(all).toContain(formatProgressVi(summary.payment.paidOnline, summary.payment.withService));
      for (const v of summary.volunteers.slice(0, 3))
        expect(all).toMatch(loose(`${v.rank} ${v.name} ${v.teamName ?? ''} ${n(v.count)} ${n(v.citizens)}`));
      for (const t of summary.targets) {
        expect(all).toContain(t.scope.label);
        expect(all).toContain(t.text);
      }

      // Group sessions: a section of their own after individual assistance, the API's figures.
      const sessions = summary.sessions;
      expect(sessions).toBeDefined();
      const at = all.indexOf('VI. BUỔI SINH HOẠT NHÓM');
      expect(at).toBeGreaterThan(all.indexOf('V. KẾT QUẢ THEO TỔ'));
      expect(all.indexOf('VII. TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU')).toBeGreaterThan(at);
      expect(all).toMatch(
        loose(
          `Số lượt người tham dự ${n(sessions?.totals.current.attendees ?? -1)} ` +
            `${n(sessions?.totals.previous.attendees ?? -1)}`,
        ),
      );

      // Vietnamese labels only: no catalogue code leaks into the printout.
      for (const code of [...CATEGORY_CODES, ...OUTCOME_CODES, ...FAIL_REASON_CODES].filter((x) =>
        x.includes('_'),
      ))
        expect(text).not.toContain(code);
    });
  }
});
