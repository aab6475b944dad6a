// The 12-digit personal ID number (số định danh cá nhân): how to tell a plausible one, and how to
// spot one (or a phone number) hidden in free text. The number itself is never stored or sent in
// clear: the device seals it for the server (seal.ts, `citizenSeal`) and forgets it; only the server
// turns it into citizenKey, with a secret that never leaves it (docs/privacy.md).
import provinces from './birth-provinces.v1.json';

/** HKDF `info` of a sealed ID number (seal.ts): distinct from the contact's, so neither opens as the other. */
export const CITIZEN_SEAL_INFO = 'sotay-citizen-v1';
/** A sealed ID number: v1, the ephemeral key (65 bytes), the IV (12), 12 digits + the GCM tag (28). */
export const SEALED_CITIZEN_RE = /^v1\.[A-Za-z0-9_-]{87}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{38}$/;

/** Birth-province codes (first 3 digits), shipped as data: the list can change. */
export const BIRTH_PROVINCE_CODES: ReadonlySet<string> = new Set(provinces.codes);

export type IdNumberProblem = 'required' | 'id_digits' | 'id_province' | 'id_century';

/** Digits only, spaces and dots a volunteer may type between groups removed. */
export function normaliseIdNumber(input: string): string {
  return input.replace(/[\s.-]/g, '');
}

/**
 * Why `input` is not a plausible ID number, or null when it is: 12 digits, a known birth-province
 * code, and a 4th digit (century and sex) of 0–3 (born 1900–2099).
 */
export function idNumberProblem(input: string): IdNumberProblem | null {
  const n = normaliseIdNumber(input);
  if (n === '') return 'required';
  if (!/^\d{12}$/.test(n)) return 'id_digits';
  if (!BIRTH_PROVINCE_CODES.has(n.slice(0, 3))) return 'id_province';
  if (!/^[0-3]$/.test(n[3]!)) return 'id_century';
  return null;
}

/**
 * A dossier code holding what looks like an ID number: 12 digits in a row, or in groups split by
 * single spaces or dots (e.g. "001 099 012 345"). Only for the contact's dossier code, whose digit
 * groups are joined by dashes and letters; free text goes through freeTextIssue (free-text.ts).
 */
export function containsIdNumber(text: string): boolean {
  const runs = text.match(/\d(?:[ .]?\d)*/g) ?? [];
  return runs.some((run) => run.replace(/\D/g, '').length === 12);
}
