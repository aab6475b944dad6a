// The follow-up contact (name, phone, dossier code): only with consent, and on the wire only sealed
// for the server (`contact` = SEAL_VERSION.epk.iv.ciphertext, docs/privacy.md), so the phone keeps no
// clear copy in IndexedDB and the server keeps it encrypted at rest, apart from the record.
import * as z from 'zod/mini';
import type { FieldIssue } from '../errors.ts';
import { containsIdNumber, normaliseIdNumber } from './id-number.ts';

export const CONTACT_NAME_MAX = 100;
/** Format tag of a sealed contact; the key agreement and cipher are described in docs/privacy.md. */
export const SEAL_VERSION = 'v1';
/** HKDF `info` of the seal: binds the derived key to this use. */
export const SEAL_INFO = 'sotay-contact-v1';
export const SEALED_CONTACT_RE = /^v1\.[A-Za-z0-9_-]{80,100}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{24,2000}$/;

/** The clear contact, as the form holds it and the server opens it. */
export const ContactFields = z.strictObject({
  name: z.optional(z.string()),
  phone: z.optional(z.string()),
  dossierCode: z.optional(z.string()),
});
export type ContactFields = z.infer<typeof ContactFields>;

/** Wire names of the contact's parts in field issues. */
export const CONTACT_FIELD_NAMES = {
  name: 'contactName',
  phone: 'contactPhone',
  dossierCode: 'dossierCode',
} as const;

const MESSAGES: Record<string, string> = {
  'contactName:too_long': `Họ tên dài quá ${CONTACT_NAME_MAX} ký tự.`,
  'contactName:has_digits': 'Họ tên không được chứa chữ số (không ghi số định danh, số điện thoại vào đây).',
  'contactPhone:invalid': 'Số điện thoại phải có dạng 0xxxxxxxxx (10 số) hoặc +84xxxxxxxxx.',
  'dossierCode:invalid': 'Mã hồ sơ chỉ gồm chữ, số và các dấu . - / (3–50 ký tự).',
  'dossierCode:looks_like_id': 'Mã hồ sơ có vẻ là số định danh cá nhân. Không ghi số định danh.',
  'contact:empty': 'Hãy nhập ít nhất một thông tin liên hệ, hoặc để trống cả mục.',
  'contact:invalid': 'Thông tin liên hệ không đọc được (mã hoá sai). Hãy nhập lại.',
};

export function contactMessageVi(field: string, code: string): string {
  return MESSAGES[`${field}:${code}`] ?? 'Thông tin liên hệ không hợp lệ.';
}

function issue(field: string, code: string): FieldIssue {
  return { field, code, message: contactMessageVi(field, code) };
}

/** The contact trimmed, empty parts left out, the phone as digits (and a leading +). */
export function normaliseContact(c: ContactFields): ContactFields {
  const out: ContactFields = {};
  const name = c.name?.trim().replace(/\s+/g, ' ');
  const phone = c.phone?.replace(/[\s.-]/g, '');
  const dossier = c.dossierCode?.trim();
  if (name) out.name = name;
  if (phone) out.phone = phone;
  if (dossier) out.dossierCode = dossier;
  return out;
}

/** What is wrong with a (normalised) contact; empty when it may be kept. */
export function contactFieldIssues(c: ContactFields): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (!c.name && !c.phone && !c.dossierCode) return [issue('contact', 'empty')];
  if (c.name !== undefined) {
    if (c.name.length > CONTACT_NAME_MAX) out.push(issue('contactName', 'too_long'));
    else if (/\d/.test(c.name)) out.push(issue('contactName', 'has_digits'));
  }
  if (c.phone !== undefined && !/^(0|\+84)[1-9]\d{8}$/.test(c.phone))
    out.push(issue('contactPhone', 'invalid'));
  if (c.dossierCode !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9./-]{2,49}$/.test(c.dossierCode)) out.push(issue('dossierCode', 'invalid'));
    else if (/^\d{12}$/.test(normaliseIdNumber(c.dossierCode)) || containsIdNumber(c.dossierCode))
      out.push(issue('dossierCode', 'looks_like_id'));
  }
  return out;
}

/** base64url without padding, both ways (the seal's parts). */
export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
