// The one screen for free text a person types (note, review comment, target label, names, device
// labels): an ID number or a phone number hidden in it, whatever the digits and separators (docs/privacy.md).

/** Why a text is refused; the phone and the server map the code to a message. */
export type FreeTextCode = 'looks_like_id' | 'looks_like_phone';

/** Digits of an ID number (số định danh cá nhân). 12 or more joined digits are refused. */
export const ID_DIGITS = 12;
/** A phone number (0xxxxxxxxx, +84xxxxxxxxx) or an old 9-digit ID card number: 9 to 11 joined digits. */
export const PHONE_DIGITS_MIN = 9;

/**
 * Characters that may stand between the digits of one number: any space or line break, any dash or
 * minus sign, and . , / \ _ · • * + ( ) [ ] ' " | ~ (and the fraction and division slashes, and the
 * blank Braille cell, which looks like a space). A letter or any other character (a colon, %, a
 * currency sign) ends the number.
 */
const SEPARATOR = /[\s\p{Z}\p{Pd}.,/\\_·•*+()[\]'"|~\u2212\u2044\u2215\u2800]/u;
/** A separator run of more than this many characters (spaces counted once) ends the number. */
const MAX_SEPARATOR_RUN = 3;

const ND = /\p{Nd}/u;
/**
 * Characters that show nothing: format characters and every default-ignorable code point (the
 * combining grapheme joiner, variation selectors, Hangul fillers), which a screen of "\p{Cf}" alone
 * would read as the end of a number.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
/** A combining mark: on a digit it only decorates it (a keycap emoji, an enclosing circle). */
const MARK = /\p{M}/u;

/** The value 0–9 of a Unicode decimal digit: they come in runs of ten code points, 0 first. */
function digitValue(cp: number): number {
  let k = 0;
  while (k < 60 && ND.test(String.fromCodePoint(cp - k - 1))) k++;
  return k % 10;
}

/**
 * The text as the screen reads it: NFKC (full-width and compatibility forms folded), invisible
 * characters (zero-width space, joiners, soft hyphen, direction marks, variation selectors, fillers)
 * dropped, marks on a digit dropped (keycap emoji 1️⃣, circled digits), every decimal digit of any
 * script written 0–9. Marks on letters stay: they are Vietnamese diacritics.
 */
export function normaliseFreeText(text: string): string {
  let out = '';
  let onDigit = false;
  for (const ch of text.normalize('NFKC').replace(INVISIBLE, '')) {
    if (onDigit && MARK.test(ch)) continue;
    const cp = ch.codePointAt(0)!;
    const digit = ND.test(ch);
    out += cp > 0x7f && digit ? String(digitValue(cp)) : ch;
    onDigit = digit;
  }
  return out;
}

/** One number as found: its digits, and its pieces (digits with the separators between them). */
interface NumberGroup {
  digits: string;
  text: string;
}

/** Digits joined by short separator runs, in a normalised text. */
function numberGroups(text: string): NumberGroup[] {
  const groups: NumberGroup[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    let digits = '';
    let end: number;
    for (;;) {
      while (i < text.length && isDigit(text[i]!)) digits += text[i++];
      end = i;
      // Look past the separators: the number goes on if a digit follows a short enough run.
      let j = i;
      let run = 0;
      while (j < text.length && SEPARATOR.test(text[j]!)) {
        if (!(j > i && /\s/.test(text[j]!) && /\s/.test(text[j - 1]!))) run++;
        j++;
      }
      if (j === i || j >= text.length || !isDigit(text[j]!) || run > MAX_SEPARATOR_RUN) break;
      i = j;
    }
    groups.push({ digits, text: text.slice(start, end) });
    i = end;
  }
  return groups;
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/** A written date d/m/yyyy (or with . or -), a real calendar day of 1900–2099. */
const DATE = /(?<!\d)(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d\d)(?!\d)/g;

function isRealDate(d: string, m: string, y: string): boolean {
  const day = Number(d);
  const month = Number(m);
  const year = Number(y);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The group with each real date in it replaced by `|` (a date ends a number). */
function cutDates(group: string): string {
  return group.replace(DATE, (all, d: string, m: string, y: string) => (isRealDate(d, m, y) ? '|' : all));
}

/**
 * Whether free text must be refused, and why: `looks_like_id` when it holds 12 or more digits joined
 * only by separators (unless they are all real dates, e.g. "01/10/2025 - 31/12/2025");
 * `looks_like_phone` when `phone` is asked and it holds 9 to 11 such digits once dates are taken out.
 * null when the text may be kept.
 */
export function freeTextIssue(text: string, opts: { phone?: boolean } = {}): FreeTextCode | null {
  if (!/[^\p{ASCII}]|\d/u.test(text)) return null;
  const groups = numberGroups(normaliseFreeText(text));
  for (const g of groups) {
    if (g.digits.length < ID_DIGITS) continue;
    const rest = cutDates(g.text);
    if (/\d/.test(rest)) return 'looks_like_id';
  }
  if (!opts.phone) return null;
  for (const g of groups) {
    if (g.digits.length < PHONE_DIGITS_MIN) continue;
    for (const piece of cutDates(g.text).split('|')) {
      const n = piece.replace(/\D/g, '').length;
      if (n >= PHONE_DIGITS_MIN) return 'looks_like_phone';
    }
  }
  return null;
}

/** The Vietnamese sentence for a refused free-text field; `label` names the field ("Nhận xét"). */
export function freeTextMessageVi(label: string, code: FreeTextCode): string {
  return code === 'looks_like_id'
    ? `${label} có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.`
    : `${label} có vẻ chứa số điện thoại. Không ghi số điện thoại vào đây; hãy xoá số này.`;
}

/**
 * The field issue of a free-text field that must be refused, or null. The server screens ID
 * numbers only (the note's phone check stays on the phone, docs/privacy.md).
 */
export function freeTextFieldIssue(
  field: string,
  label: string,
  text: string | null | undefined,
  opts: { phone?: boolean } = {},
): { field: string; code: FreeTextCode; message: string } | null {
  const code = text ? freeTextIssue(text, opts) : null;
  return code ? { field, code, message: freeTextMessageVi(label, code) } : null;
}
