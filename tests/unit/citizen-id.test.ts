// The ID-number checks of the shared citizen module: plausible numbers, and an ID number in a
// dossier code. Numbers are generated, never real.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIRTH_PROVINCE_CODES, containsIdNumber, idNumberProblem } from '../../src/shared/index.ts';
import { fakeIdNumber } from '../support/citizen-ids.ts';

describe('idNumberProblem', () => {
  it('accepts generated plausible numbers, typed with or without group spaces', () => {
    for (let i = 0; i < 50; i++) {
      const n = fakeIdNumber();
      expect(idNumberProblem(n)).toBeNull();
      expect(idNumberProblem(`${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`)).toBeNull();
    }
  });

  it('names what is wrong: empty, not 12 digits, unknown province, implausible century', () => {
    expect(idNumberProblem('  ')).toBe('required');
    expect(idNumberProblem('00109901234')).toBe('id_digits');
    expect(idNumberProblem('0010990123456')).toBe('id_digits');
    expect(idNumberProblem('00109901234a')).toBe('id_digits');
    expect(idNumberProblem('003099012345')).toBe('id_province');
    expect(idNumberProblem('099099012345')).toBe('id_province');
    expect(idNumberProblem('001499012345')).toBe('id_century');
  });

  it('knows the 63 birth-province codes of the shipped list', () => {
    expect(BIRTH_PROVINCE_CODES.size).toBe(63);
    expect(BIRTH_PROVINCE_CODES.has('001')).toBe(true);
    expect(BIRTH_PROVINCE_CODES.has('079')).toBe(true);
    expect(BIRTH_PROVINCE_CODES.has('003')).toBe(false);
  });
});

// Free text (notes, comments, names) has its own, wider screen: tests/unit/free-text.test.ts.
describe('the dossier code check', () => {
  it('finds any 12-digit number, however it is grouped by spaces or dots', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.constantFrom('', ' ', '.'), (n, sep) => {
        const grouped = [n.slice(0, 3), n.slice(3, 6), n.slice(6, 9), n.slice(9)].join(sep);
        return containsIdNumber(`gọi lại ${grouped} nhé`);
      }),
    );
  });

  it('does not take dossier codes, dates or short numbers for an ID number', () => {
    expect(containsIdNumber('Hồ sơ G22.37-250101-0001')).toBe(false);
    expect(containsIdNumber('hẹn 12.3.2026 lúc 9 giờ')).toBe(false);
    expect(containsIdNumber('0123456789012')).toBe(false);
  });
});
