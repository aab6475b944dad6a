// The shared free-text screen (docs/privacy.md, "Numbers in free text"): ID numbers and phone
// numbers however disguised, and ordinary text (dates, amounts, times) left alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeTextFieldIssue, freeTextIssue, normaliseFreeText } from '../../src/shared/index.ts';
import { DIGIT_ZEROS, disguisedIdNumbers, inScript } from '../support/disguised-ids.ts';
import { BIRTH_PROVINCE_CODES } from '../../src/shared/index.ts';

const ID = '001099012345';

describe('normaliseFreeText', () => {
  it('writes the digits of every script as 0-9 and drops zero-width characters', () => {
    for (const zero of Object.values(DIGIT_ZEROS)) expect(normaliseFreeText(inScript(ID, zero))).toBe(ID);
    expect(normaliseFreeText('0\u200b0\u200c1\u200d0\u2060\u00ad9\ufeff9')).toBe('001099');
    expect(normaliseFreeText('Thôn Đông')).toBe('Thôn Đông'.normalize('NFKC'));
  });
});

describe('freeTextIssue', () => {
  const table: [string, string, ReturnType<typeof freeTextIssue>, ReturnType<typeof freeTextIssue>][] = [
    // [what, text, server (ID only), phone (ID and phone numbers)]
    ['12 digits in a row', `CCCD ${ID}`, 'looks_like_id', 'looks_like_id'],
    ['groups split by spaces', '001 099 012 345', 'looks_like_id', 'looks_like_id'],
    ['groups split by dots', '001.099.012.345', 'looks_like_id', 'looks_like_id'],
    ['groups split by dashes', '001-099-012-345', 'looks_like_id', 'looks_like_id'],
    ['groups split by " - "', '001 - 099 - 012 - 345', 'looks_like_id', 'looks_like_id'],
    ['groups split by commas', '001,099,012,345', 'looks_like_id', 'looks_like_id'],
    ['groups split by slashes', '001/099/012/345', 'looks_like_id', 'looks_like_id'],
    ['groups split by line breaks', '001\n099\r\n012\n345', 'looks_like_id', 'looks_like_id'],
    ['many spaces count as one', '001      099      012      345', 'looks_like_id', 'looks_like_id'],
    ['no-break spaces', '001\u00a0099\u202f012\u2007345', 'looks_like_id', 'looks_like_id'],
    ['zero-width joiners', [...ID].join('\u200d'), 'looks_like_id', 'looks_like_id'],
    ['soft hyphens and word joiners', '001\u00ad099\u2060012345', 'looks_like_id', 'looks_like_id'],
    ['full-width digits', inScript(ID, DIGIT_ZEROS.fullWidth), 'looks_like_id', 'looks_like_id'],
    ['Arabic-Indic digits', inScript(ID, DIGIT_ZEROS.arabicIndic), 'looks_like_id', 'looks_like_id'],
    [
      'Thai digits with dashes',
      inScript('001-099-012-345', DIGIT_ZEROS.thai),
      'looks_like_id',
      'looks_like_id',
    ],
    ['parentheses', '(001) 099 012 345', 'looks_like_id', 'looks_like_id'],
    ['13 digits: 12 inside a longer number', '0010990123456', 'looks_like_id', 'looks_like_id'],
    [
      'a dossier code belongs in the contact, not the note',
      'Hồ sơ G22.37-250101-0001',
      'looks_like_id',
      'looks_like_id',
    ],
    [
      'two dates joined without spaces, not both real',
      '01/10/2025-31/13/2025',
      'looks_like_id',
      'looks_like_id',
    ],
    ['a date glued to other digits', '01/10/2025 1234', 'looks_like_id', 'looks_like_id'],
    ['a phone number', 'gọi 0912345678', null, 'looks_like_phone'],
    ['a phone number in groups', 'gọi 0912 345 678', null, 'looks_like_phone'],
    ['a phone number with +84 and dots', 'gọi +84 912.345.678', null, 'looks_like_phone'],
    [
      'a phone number in full-width digits',
      `gọi ${inScript('0912-345-678', DIGIT_ZEROS.fullWidth)}`,
      null,
      'looks_like_phone',
    ],
    ['an old 9-digit ID card number', 'CMND 012 345 678', null, 'looks_like_phone'],
    ['a date', 'hẹn 07/12/2026', null, null],
    ['a date range', 'từ 01/10/2025 - 31/12/2025', null, null],
    ['a date range without spaces', '01/10/2025-31/12/2025', null, null],
    ['a date range with dots', '01.10.2025 – 31.12.2025', null, null],
    ['a date and a count', 'ngày 01/10/2025 3 lần', null, null],
    ['a time and a date', 'hẹn 8:30 01/10/2025', null, null],
    ['an amount', 'phí 1.500.000 đ', null, null],
    ['numbers split by words', 'thôn 12, tổ 345, nhà 678, số 901 234', null, null],
    ['a separator run of four characters ends a number', '001099 -- 012345', null, null],
    ['a letter ends a number', '001099a012345', null, null],
    ['text without digits', 'Hướng dẫn cài VNeID', null, null],
  ];
  it.each(table)('%s: %j', (_what, text, server, phone) => {
    expect(freeTextIssue(text)).toBe(server);
    expect(freeTextIssue(text, { phone: true })).toBe(phone);
  });

  it('catches every disguise of the shared test list', () => {
    for (const [how, text] of disguisedIdNumbers()) expect(freeTextIssue(text), how).toBe('looks_like_id');
  });

  it('catches any plausible ID number, disguised with any separators, digit scripts and zero-width characters', () => {
    const provinces = [...BIRTH_PROVINCE_CODES];
    const idNumber = fc
      .tuple(fc.constantFrom(...provinces), fc.constantFrom('0', '1', '2', '3'), fc.stringMatching(/^\d{8}$/))
      .map(([p, c, tail]) => p + c + tail);
    const sepChar = fc.constantFrom(
      ' ',
      '.',
      ',',
      '-',
      '/',
      '\\',
      '_',
      '\n',
      '\r\n',
      '\t',
      '\u00a0',
      '\u202f',
      '\u2013',
      '\u2014',
      '\u2212',
      '(',
      ')',
      '·',
      '\u3000',
      '~',
      '\u2800',
    );
    const invisible = fc.constantFrom(
      '',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u2060',
      '\ufeff',
      '\u00ad',
      '\u200e',
      '\u034f',
      '\ufe0f',
      '\u3164',
      '\u115f',
      '\u180e',
    );
    // Between two digits: nothing, or up to 3 separators (spaces counted once), each maybe with invisibles.
    const gap = fc
      .array(fc.tuple(sepChar, invisible), { maxLength: 3 })
      .map((parts) => parts.map(([s, z]) => z + s).join(''));
    const script = fc.constantFrom(0x30, ...Object.values(DIGIT_ZEROS));
    const words = fc.constantFrom('', 'Số ', 'CCCD: ', 'gọi lại ', 'chị Lan, ');
    fc.assert(
      fc.property(
        idNumber,
        fc.array(gap, { minLength: 11, maxLength: 11 }),
        fc.array(script, { minLength: 12, maxLength: 12 }),
        words,
        words,
        (id, gaps, scripts, before, after) => {
          const text = [...id]
            .map((d, i) => String.fromCodePoint(scripts[i]! + Number(d)) + (gaps[i] ?? ''))
            .join('');
          return freeTextIssue(`${before}${text} ${after}`) === 'looks_like_id';
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the field issue with its Vietnamese message, or null', () => {
    expect(freeTextFieldIssue('comment', 'Nhận xét', `xem ${inScript(ID, DIGIT_ZEROS.fullWidth)}`)).toEqual({
      field: 'comment',
      code: 'looks_like_id',
      message: 'Nhận xét có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
    });
    expect(freeTextFieldIssue('comment', 'Nhận xét', 'gọi 0912345678')).toBeNull();
    expect(freeTextFieldIssue('note', 'Ghi chú', 'gọi 0912345678', { phone: true })?.code).toBe(
      'looks_like_phone',
    );
    expect(freeTextFieldIssue('comment', 'Nhận xét', null)).toBeNull();
  });
});
