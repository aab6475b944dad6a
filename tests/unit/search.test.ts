import { describe, expect, it } from 'vitest';
import { foldSearch, matchesSearch } from '../../src/shared/search.ts';

const target = 'Đăng ký khai sinh';

describe('service search folding', () => {
  it('finds "Đăng ký khai sinh" from lower case without diacritics', () => {
    expect(matchesSearch(target, 'khai sinh')).toBe(true);
    expect(matchesSearch(target, 'dang ky')).toBe(true);
  });
  it('ignores letter case', () => {
    expect(matchesSearch(target, 'Khai Sinh')).toBe(true);
    expect(matchesSearch(target, 'ĐĂNG KÝ')).toBe(true);
  });
  it('treats NFD (combining marks) and NFC spellings alike', () => {
    const nfd = 'đăng ký khai sinh'.normalize('NFD');
    expect(nfd).not.toBe('đăng ký khai sinh');
    expect(matchesSearch(target, nfd)).toBe(true);
    expect(matchesSearch(target.normalize('NFD'), 'dang ky')).toBe(true);
  });
  it('maps đ to d and strips tone marks', () => {
    expect(foldSearch('Đường  Ấp  Mới')).toBe('duong ap moi');
  });
  it('does not match words that are absent', () => {
    expect(matchesSearch(target, 'khai tu')).toBe(false);
  });
  it('matches everything for an empty query', () => {
    expect(matchesSearch(target, '  ')).toBe(true);
  });
});
