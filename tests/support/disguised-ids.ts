// ID numbers disguised the ways people (or an attacker) hide them in free text: other digit scripts,
// zero-width and no-break characters, dashes, slashes, commas, line breaks, keycap emoji and other
// marks on the digits, invisible joiners and fillers. Generated, never real.
import { fakeIdNumber } from './citizen-ids.ts';

/** Each decimal-digit script's zero: the digit d is zero + d. */
export const DIGIT_ZEROS = {
  fullWidth: 0xff10,
  arabicIndic: 0x0660,
  extendedArabicIndic: 0x06f0,
  devanagari: 0x0966,
  bengali: 0x09e6,
  thai: 0x0e50,
  mathBold: 0x1d7ce,
} as const;

/** `digits` written in the script whose zero is `zero`. */
export function inScript(digits: string, zero: number): string {
  return [...digits].map((d) => (/\d/.test(d) ? String.fromCodePoint(zero + Number(d)) : d)).join('');
}

/** The number in groups of three joined by `sep`. */
function grouped(n: string, sep: string): string {
  return [n.slice(0, 3), n.slice(3, 6), n.slice(6, 9), n.slice(9)].join(sep);
}

/** [how it is disguised, the text] for a fresh generated ID number each. */
export function disguisedIdNumbers(): [string, string][] {
  const n = (): string => fakeIdNumber();
  return [
    ['full-width digits', `CCCD ${inScript(n(), DIGIT_ZEROS.fullWidth)}`],
    ['Arabic-Indic digits', `số ${inScript(n(), DIGIT_ZEROS.arabicIndic)}`],
    ['zero-width joiners between digits', `số ${[...n()].join('\u200d')}`],
    ['zero-width spaces and no-break spaces', grouped(n(), '\u200b\u00a0')],
    ['dashes', `số ${grouped(n(), '-')}`],
    ['en dashes with spaces', grouped(n(), ' – ')],
    ['slashes', grouped(n(), '/')],
    ['commas', grouped(n(), ', ')],
    ['line breaks', `số\n${grouped(n(), '\n')}\nnhé`],
    ['Devanagari digits and dots', inScript(grouped(n(), '.'), DIGIT_ZEROS.devanagari)],
    // A phone keyboard's emoji digits: digit, variation selector 16, combining enclosing keycap.
    ['keycap emoji digits', `số ${[...n()].map((d) => `${d}\ufe0f\u20e3`).join('')}`],
    ['digits in combining circles', [...n()].map((d) => `${d}\u20dd`).join('')],
    ['combining grapheme joiners between digits', [...n()].join('\u034f')],
    ['variation selectors between digits', [...n()].join('\ufe0e')],
    ['Hangul fillers between groups', grouped(n(), '\u3164')],
    ['blank Braille cells between groups', grouped(n(), '\u2800')],
    ['tildes', grouped(n(), '~')],
  ];
}
