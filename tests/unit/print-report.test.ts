// The printed report's words: the place name in the date line, the period as a report names it,
// changes against a comparison period, "Căn cứ" and "Nơi nhận" lines.
import { describe, expect, it } from 'vitest';
import {
  basisLine,
  changeText,
  issuerOf,
  periodPhrase,
  placeName,
  recipientLines,
} from '../../src/app/dashboard/print-report.ts';
import { DEFAULT_REPORT_SETTINGS } from '../../src/shared/index.ts';

describe('printed report words', () => {
  it('dates the report at the commune without its "Xã", "Phường" or "Thị trấn"', () => {
    expect(placeName('Xã An Bình')).toBe('An Bình');
    expect(placeName('phường Hòa Minh')).toBe('Hòa Minh');
    expect(placeName('Thị trấn Phong Điền')).toBe('Phong Điền');
    expect(placeName('Xã')).toBe('Xã');
    expect(issuerOf(DEFAULT_REPORT_SETTINGS, 'Xã An Bình')).toBe('UBND XÃ AN BÌNH');
    expect(issuerOf({ ...DEFAULT_REPORT_SETTINGS, issuer: 'UBND XÃ B' }, 'Xã An Bình')).toBe('UBND XÃ B');
  });

  it('names whole months, quarters, nine months and years, and any other range by its days', () => {
    expect(periodPhrase({ from: '2026-02-01', to: '2026-02-28' })).toBe('tháng 02/2026');
    expect(periodPhrase({ from: '2028-02-01', to: '2028-02-28' })).toBe('từ 01/02/2028 đến 28/02/2028');
    expect(periodPhrase({ from: '2026-04-01', to: '2026-06-30' })).toBe('quý II/2026');
    expect(periodPhrase({ from: '2026-02-01', to: '2026-04-30' })).toBe('từ 01/02/2026 đến 30/04/2026');
    expect(periodPhrase({ from: '2026-01-01', to: '2026-09-30' })).toBe('9 tháng đầu năm 2026');
    expect(periodPhrase({ from: '2026-01-01', to: '2026-12-31' })).toBe('năm 2026');
    expect(periodPhrase({ from: '2026-11-23', to: '2026-11-29' })).toBe('từ 23/11/2026 đến 29/11/2026');
    expect(periodPhrase({ from: '2025-12-01', to: '2026-01-31' })).toBe('từ 01/12/2025 đến 31/01/2026');
  });

  it('writes changes with a sign and a share of the base when there is one', () => {
    expect(changeText(1234, 1000)).toBe('+234 (+23,4 %)');
    expect(changeText(7, 10)).toBe('−3 (−30,0 %)');
    expect(changeText(5, 0)).toBe('+5');
    expect(changeText(0, 0)).toBe('0');
    expect(changeText(1500, 1500)).toBe('0');
  });

  it('prefixes "Căn cứ" once and ends the recipients with ";" and a final "."', () => {
    expect(basisLine('Kế hoạch số 12/KH-UBND')).toBe('Căn cứ Kế hoạch số 12/KH-UBND');
    expect(basisLine('căn cứ Quyết định 06/QĐ-TTg')).toBe('căn cứ Quyết định 06/QĐ-TTg');
    expect(recipientLines(['Như trên', 'UBND huyện;', 'Lưu: VT.'])).toEqual([
      '- Như trên;',
      '- UBND huyện;',
      '- Lưu: VT.',
    ]);
  });
});
