// The printed report: the administrative form (issuer, number, motto, place and date, "BÁO CÁO"
// naming view, scope and period, addressees, bases, recipients, signer), and six sections whose
// every figure, read back from the DOM, is the summary's; a figure printed twice is the same.
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import PrintReport from '../../src/app/ui/dashboard/PrintReport.svelte';
import {
  CATEGORIES,
  COUNTED_DEFINITION_VI,
  FAIL_REASONS,
  OUTCOMES,
  formatNumberVi,
  formatProgressVi,
  percentOf,
  type ReportSummary,
} from '../../src/shared/index.ts';
import { makeReportSummary } from '../support/report-summary.ts';

const COMMUNE = 'Xã An Bình';

function print(summary: ReportSummary, today = '2026-12-01'): HTMLElement {
  const { container } = render(PrintReport, { props: { summary, communeName: COMMUNE, today } });
  return container.querySelector<HTMLElement>('[data-print-report]')!;
}

/** "1.234" → 1234 */
function num(el: Element | null | undefined): number {
  const text = (el?.textContent ?? '').trim();
  expect(text).toMatch(/^\d{1,3}(\.\d{3})*$/);
  return Number(text.replace(/\./g, ''));
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function section(report: HTMLElement, name: string): HTMLElement {
  return report.querySelector<HTMLElement>(`[data-section="${name}"]`)!;
}

describe('printed report', () => {
  it('has the administrative header, title naming view, scope and period, and the signer', () => {
    const summary = makeReportSummary();
    summary.settings = {
      ...summary.settings,
      addressees: ['Ủy ban nhân dân huyện'],
      bases: ['Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND xã'],
    };
    const report = print(summary);

    expect(text(report.querySelector('[data-issuer]'))).toBe('UBND XÃ AN BÌNH');
    expect(text(report.querySelector('[data-number]'))).toBe('Số: ……/BC-UBND');
    expect(report.textContent).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(report.textContent).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text(report.querySelector('[data-dated]'))).toBe('An Bình, ngày 01 tháng 12 năm 2026');
    expect(text(report.querySelector('[data-title] .title'))).toBe('BÁO CÁO');
    expect(text(report.querySelector('[data-subject]'))).toBe(
      'Kết quả hỗ trợ người dân sử dụng dịch vụ số — Toàn xã — tháng 11/2026',
    );
    expect(text(report.querySelector('[data-addressees]'))).toBe('Kính gửi: Ủy ban nhân dân huyện.');
    expect(text(report.querySelector('[data-basis]'))).toBe(
      'Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND xã;',
    );
    expect(report.querySelector('[data-as-of]')).toBeNull();
    const firstSentence = COUNTED_DEFINITION_VI.slice(0, COUNTED_DEFINITION_VI.indexOf('. ') + 1);
    expect(text(report.querySelector('[data-definition]'))).toBe(`Cách tính: ${firstSentence}`);

    const recipients = [...report.querySelectorAll('[data-recipients] p')].map(text);
    expect(recipients).toEqual(['Nơi nhận:', '- Như trên;', '- Lưu: VT.']);
    const signer = [...report.querySelectorAll('[data-signer] p')].map(text);
    expect(signer).toEqual(['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', 'Người Ký Thử']);
  });

  it('names the Đề án 06 view, a team, a period that is not a month, and the day figures stand at', () => {
    const summary = makeReportSummary({
      view: 'de_an_06',
      scope: { kind: 'team', id: 't-1', label: 'Tổ CNS số 1' },
      period: { from: '2026-11-03', to: '2026-12-16' },
      asOf: '2026-12-07',
    });
    summary.settings = {
      ...summary.settings,
      issuer: 'ỦY BAN NHÂN DÂN XÃ AN BÌNH',
      numberSuffix: '',
      addressees: ['Công an huyện', 'Phòng Văn hóa - Thông tin'],
    };
    const report = print(summary, '2026-12-07');
    expect(text(report.querySelector('[data-issuer]'))).toBe('ỦY BAN NHÂN DÂN XÃ AN BÌNH');
    expect(text(report.querySelector('[data-number]'))).toBe('Số: ……');
    expect(text(report.querySelector('[data-subject]'))).toBe(
      'Kết quả hỗ trợ người dân sử dụng dịch vụ số — Đề án 06 — Tổ CNS số 1 — từ 03/11/2026 đến 16/12/2026',
    );
    expect(text(report.querySelector('[data-as-of]'))).toBe(
      'Số liệu tính đến ngày 07/12/2026 (kỳ báo cáo chưa kết thúc).',
    );
    expect([...report.querySelectorAll('[data-addressees] p')].map(text)).toEqual([
      'Kính gửi:',
      '- Công an huyện;',
      '- Phòng Văn hóa - Thông tin;',
    ]);

    const quarter = print(makeReportSummary({ period: { from: '2026-10-01', to: '2026-12-31' } }));
    expect(text(quarter.querySelector('[data-subject]'))).toContain('— quý IV/2026');
    const nine = print(makeReportSummary({ period: { from: '2026-01-01', to: '2026-09-30' } }));
    expect(text(nine.querySelector('[data-subject]'))).toContain('— 9 tháng đầu năm 2026');
    const year = print(makeReportSummary({ period: { from: '2026-01-01', to: '2026-12-31' } }));
    expect(text(year.querySelector('[data-subject]'))).toContain('— năm 2026');
  });

  it('prints the totals with the refused records apart and both comparisons', () => {
    const summary = makeReportSummary();
    const report = print(summary);
    const totals = section(report, 'totals');
    const { current, previous, lastYear } = summary.totals;
    for (const key of ['count', 'citizens', 'rejected'] as const) {
      const row = totals.querySelector(`[data-row="${key}"]`)!;
      expect(num(row.querySelector('[data-current]'))).toBe(current[key]);
      expect(num(row.querySelector('[data-previous]'))).toBe(previous[key]);
      expect(num(row.querySelector('[data-last-year]'))).toBe(lastYear[key]);
    }
    expect(text(totals.querySelector('[data-recorded]'))).toBe(
      `Tổng số bản ghi: ${current.count + current.rejected}, trong đó bị từ chối khi duyệt: ${current.rejected} (không tính); số lượt hỗ trợ được tính: ${current.count}.`,
    );
    const countRow = [...totals.querySelectorAll('[data-row="count"] td')].map(text);
    expect(countRow[2]).toBe(
      `+${current.count - previous.count} (+${formatNumberVi(((current.count - previous.count) / previous.count) * 100, 1)} %)`,
    );
    expect(text(totals.querySelector('thead'))).toContain('Kỳ trước (01/10/2026–31/10/2026)');
    expect(text(totals.querySelector('thead'))).toContain('Cùng kỳ năm trước (01/11/2025–30/11/2025)');
  });

  it('prints the hamlet × category table cell by cell, its totals equal to the summary', () => {
    const summary = makeReportSummary();
    summary.hamletCategory.push({ hamletId: null, category: 'can_cuoc', count: 2 });
    summary.categories.find((c) => c.category === 'can_cuoc')!.count.current += 2;
    summary.totals.current.count += 2;
    const report = print(summary);
    const table = section(report, 'hamlets').querySelector('table')!;
    const columns = [...table.querySelectorAll('thead th[data-category]')].map((th) =>
      th.getAttribute('data-category'),
    );
    expect(columns).toEqual(CATEGORIES.slice(0, 5).map((c) => c.code));
    expect([...table.querySelectorAll('thead th[data-category]')].map(text)).toEqual(
      CATEGORIES.slice(0, 5).map((c) => c.vi),
    );
    const rows = [...table.querySelectorAll('tbody tr[data-hamlet]')];
    expect(rows.map((r) => text(r.querySelector('th')))).toEqual([
      'Thôn Đông',
      'Thôn Tây',
      'Chưa ghi thôn/ấp',
    ]);
    let sum = 0;
    for (const row of rows) {
      const id = row.getAttribute('data-hamlet') || null;
      const cells = [...row.querySelectorAll('td')].slice(1, -1).map(num);
      const expected = columns.map(
        (c) => summary.hamletCategory.find((x) => x.hamletId === id && x.category === c)?.count ?? 0,
      );
      expect(cells).toEqual(expected);
      expect(num(row.querySelector('[data-row-total]'))).toBe(cells.reduce((n, x) => n + x, 0));
      sum += num(row.querySelector('[data-row-total]'));
    }
    const totalRow = [...table.querySelectorAll('[data-total-row] td')].slice(1, -1).map(num);
    expect(totalRow).toEqual(
      columns.map((c) => summary.categories.find((x) => x.category === c)!.count.current),
    );
    // Shown twice: each column's total and the sum of its cells; the grand total and section I.
    columns.forEach((_, j) =>
      expect(totalRow[j]).toBe(
        rows.reduce((n, r) => n + num([...r.querySelectorAll('td')].slice(1, -1)[j]), 0),
      ),
    );
    const grand = num(table.querySelector('[data-grand-total]'));
    expect(grand).toBe(sum);
    expect(grand).toBe(num(section(report, 'totals').querySelector('[data-row="count"] [data-current]')));
  });

  it('prints the 25 services by agency with paid online and the share', () => {
    const summary = makeReportSummary();
    const report = print(summary);
    const services = section(report, 'services');
    const rows = [...services.querySelectorAll('tr[data-service]')];
    expect(rows.map((r) => r.getAttribute('data-service'))).toEqual(summary.services.map((s) => s.code));
    expect(rows).toHaveLength(25);
    for (const [i, row] of rows.entries()) {
      const s = summary.services[i]!;
      expect(text(row.querySelector('th'))).toBe(s.name);
      expect(num(row.querySelector('[data-current]'))).toBe(s.count.current);
      expect(num(row.querySelector('[data-paid]'))).toBe(s.paidOnline);
    }
    const groups = [...services.querySelectorAll('tr[data-agency]')];
    expect(groups.map(text).map((t) => t.replace(/[\d. ]+$/, ''))).toEqual([
      'Dịch vụ do Công an giải quyết',
      'Dịch vụ do UBND xã giải quyết',
      'Dịch vụ của cơ quan, đơn vị khác',
    ]);
    for (const g of groups) {
      const agency = g.getAttribute('data-agency');
      const own = summary.services.filter((s) => s.agency === agency);
      expect(num(g.querySelectorAll('td')[0])).toBe(own.reduce((n, s) => n + s.count.current, 0));
      expect(num(g.querySelectorAll('td')[1])).toBe(own.reduce((n, s) => n + s.paidOnline, 0));
    }
    const total = services.querySelector('[data-total-row]')!;
    expect(num(total.querySelector('[data-current]'))).toBe(summary.payment.withService);
    expect(num(total.querySelector('[data-current]'))).toBe(
      rows.reduce((n, r) => n + num(r.querySelector('[data-current]')), 0),
    );
    expect(num(total.querySelector('[data-paid]'))).toBe(
      rows.reduce((n, r) => n + num(r.querySelector('[data-paid]')), 0),
    );
    expect(text(services.querySelector('[data-payment]'))).toBe(
      `Tỷ lệ hồ sơ dịch vụ công thanh toán trực tuyến: ${formatProgressVi(summary.payment.paidOnline, summary.payment.withService)}.`,
    );
  });

  it('prints outcomes and fail reasons, teams and the ranked volunteers, each total agreeing', () => {
    const summary = makeReportSummary();
    const report = print(summary);
    const count = num(section(report, 'totals').querySelector('[data-row="count"] [data-current]'));

    const outcomes = section(report, 'outcomes');
    const outcomeRows = [...outcomes.querySelectorAll('tr[data-outcome]')];
    expect(outcomeRows.map((r) => text(r.querySelector('th')))).toEqual(OUTCOMES.map((o) => o.vi));
    expect(outcomeRows.map((r) => num(r.querySelector('[data-current]')))).toEqual(
      summary.outcomes.map((o) => o.count.current),
    );
    const outcomeSum = outcomeRows.reduce((n, r) => n + num(r.querySelector('[data-current]')), 0);
    expect(outcomeSum).toBe(count);
    expect(num(outcomes.querySelector('table [data-total-row] [data-current]'))).toBe(count);
    const done = summary.outcomes[0]!.count.current;
    expect(text(outcomeRows[0]!.querySelectorAll('td')[1])).toBe(
      `${formatNumberVi(percentOf(done, count), 1)} %`,
    );
    const reasons = [...outcomes.querySelectorAll('tr[data-reason]')];
    expect(reasons.map((r) => text(r.querySelector('th')))).toEqual(FAIL_REASONS.map((r) => r.vi));
    expect(reasons.map((r) => num(r.querySelector('[data-current]')))).toEqual(
      summary.failReasons.map((r) => r.count),
    );
    const failed = num(outcomes.querySelector('tr[data-outcome="failed"] [data-current]'));
    expect(num(outcomes.querySelectorAll('[data-total-row]')[1]!.querySelector('[data-current]'))).toBe(
      failed,
    );

    const teams = section(report, 'teams');
    const teamRows = [...teams.querySelectorAll('tr[data-team]')];
    expect(teamRows.map((r) => text(r.querySelector('th')))).toEqual(summary.teams.map((t) => t.name));
    expect(teamRows.map((r) => num(r.querySelector('[data-current]')))).toEqual(
      summary.teams.map((t) => t.count.current),
    );
    expect(teamRows.reduce((n, r) => n + num(r.querySelector('[data-current]')), 0)).toBe(count);
    const vols = [...teams.querySelectorAll('tr[data-volunteer]')];
    expect(vols.map((r) => [...r.children].map(text))).toEqual(
      summary.volunteers.map((v) => [
        String(v.rank),
        v.name,
        v.teamName,
        formatNumberVi(v.count),
        formatNumberVi(v.citizens),
        formatNumberVi(v.activeDays),
        formatNumberVi(v.perActiveDay, 1),
      ]),
    );
    expect(vols.reduce((n, r) => n + num(r.querySelector('[data-current]')), 0)).toBe(count);
  });

  it('prints each target with its own scope, equal to the category total over the same period', () => {
    const summary = makeReportSummary();
    const commune = summary.targets[0]!;
    commune.period = { ...summary.period };
    summary.targets.push({
      ...commune,
      id: 'tg-2',
      teamId: 't-1',
      label: 'VNeID mức 2 của tổ',
      category: 'vneid_l2',
      target: 20,
      achieved: 9,
      percent: 45,
      text: formatProgressVi(9, 20),
      scope: { kind: 'team', id: 't-1', label: 'Tổ CNS số 1' },
    });
    const report = print(summary);
    const rows = [...section(report, 'targets').querySelectorAll('tr[data-target]')];
    expect(rows.map((r) => [...r.children].map(text))).toEqual([
      ['1', 'Thẻ căn cước', 'Toàn xã', '01/11/2026–30/11/2026', commune.text],
      ['2', 'VNeID mức 2 của tổ', 'Tổ CNS số 1', '01/11/2026–30/11/2026', '9/20, đạt 45,00 %'],
    ]);
    // The commune's ID-card target over the report's own period: its achieved is the column total.
    const achieved = Number(
      text(rows[0]!.querySelector('[data-progress]')).split('/')[0]!.replace(/\./g, ''),
    );
    const table = section(report, 'hamlets').querySelector('table')!;
    const col = [...table.querySelectorAll('thead th')].findIndex(
      (th) => th.getAttribute('data-category') === 'can_cuoc',
    );
    expect(num(table.querySelector('[data-total-row]')!.children[col])).toBe(achieved);

    summary.targets = [];
    expect(text(section(print(summary), 'targets'))).toContain('Chưa có chỉ tiêu cho kỳ này.');
  });

  it('leaks no code, no empty value and no English word into the printout', () => {
    const summary = makeReportSummary({ view: 'de_an_06' });
    summary.hamletCategory.push({ hamletId: null, category: 'digital_skills', count: 1 });
    const content = print(summary).textContent!;
    const codes = [
      ...CATEGORIES.map((c) => c.code),
      ...OUTCOMES.map((o) => o.code),
      ...FAIL_REASONS.map((r) => r.code),
      'de_an_06',
      'police',
      'commune',
      'team',
      'h-a',
      't-1',
      'v-1',
      'tg-1',
      '26734',
      'CA-01',
    ];
    for (const code of codes)
      expect(content).not.toMatch(new RegExp(`(^|[^\\p{L}\\d-])${code}($|[^\\p{L}\\d_-])`, 'u'));
    expect(content).not.toMatch(/[a-z]+_[a-z0-9]/);
    expect(content).not.toMatch(/undefined|null|NaN|Infinity|\[object/);
  });

  it('prints on A4 portrait with rows kept whole, headers repeated and only itself', () => {
    print(makeReportSummary());
    const css = [...document.querySelectorAll('style')].map((s) => s.textContent).join('\n');
    const rule = css.slice(css.indexOf('@media print'));
    expect(rule).toMatch(
      /@page sotay-report\s*\{\s*size:\s*A4 portrait;\s*margin:\s*20mm 15mm 20mm 30mm;?\s*\}/,
    );
    expect(rule).toMatch(/\.print-report[^{]*\{[^}]*page:\s*sotay-report/);
    expect(rule).toMatch(/tr[^{]*\{[^}]*break-inside:\s*avoid/);
    expect(rule).toMatch(/thead[^{]*\{[^}]*display:\s*table-header-group/);
    expect(rule).toMatch(/h2[^{]*\{[^}]*break-after:\s*avoid/);
    expect(rule).toMatch(/font-family:\s*'Times New Roman'/);
    expect(rule).toMatch(/font-size:\s*13pt/);
    // Hidden on screen.
    const report = document.querySelector<HTMLElement>('[data-print-report]')!;
    expect(getComputedStyle(report).display).toBe('none');
  });
});
