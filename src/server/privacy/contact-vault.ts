// Contacts on the server: open what a phone sealed (ECDH P-256 + HKDF-SHA256 + AES-256-GCM, the
// record id as associated data), then keep them encrypted at rest (AES-256-GCM under the server key,
// the record id again as associated data, so a row moved to another record does not open).
import { createCipheriv, createDecipheriv, randomBytes, webcrypto } from 'node:crypto';
import {
  ContactFields,
  SEAL_INFO,
  SEAL_VERSION,
  fromBase64Url,
  normaliseContact,
  toBase64Url,
} from '../../shared/index.ts';
import type { ServerKeys } from './keys.ts';

const enc = new TextEncoder();

/** The clear bytes a phone sealed for `info` (seal.ts), or null when they do not open (wrong key,
 *  tampered, other record, other use). */
export async function openSealedBytes(
  keys: ServerKeys,
  recordId: string,
  sealed: string,
  info: string,
): Promise<Uint8Array | null> {
  const [version, epk, iv, ct, extra] = sealed.split('.');
  if (version !== SEAL_VERSION || !epk || !iv || !ct || extra !== undefined) return null;
  try {
    const subtle = webcrypto.subtle;
    const ephemeral = await subtle.importKey(
      'raw',
      fromBase64Url(epk),
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      [],
    );
    const bits = await subtle.deriveBits({ name: 'ECDH', public: ephemeral }, keys.contactPrivate, 256);
    const hkdf = await subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
    const aes = await subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: fromBase64Url(epk), info: enc.encode(info) },
      hkdf,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    const clear = await subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: enc.encode(recordId) },
      aes,
      fromBase64Url(ct),
    );
    return new Uint8Array(clear);
  } catch {
    return null;
  }
}

/** The clear contact inside a phone's seal, or null when it does not open (wrong key, tampered, other record). */
export async function openSealed(
  keys: ServerKeys,
  recordId: string,
  sealed: string,
): Promise<ContactFields | null> {
  const clear = await openSealedBytes(keys, recordId, sealed, SEAL_INFO);
  if (!clear) return null;
  try {
    const parsed = ContactFields.safeParse(JSON.parse(new TextDecoder().decode(clear)));
    return parsed.success ? normaliseContact(parsed.data) : null;
  } catch {
    return null;
  }
}

/** `iv.tag.ciphertext` (base64url) of the contact under the at-rest key. */
export function encryptAtRest(keys: ServerKeys, recordId: string, contact: ContactFields): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.atRest, iv);
  cipher.setAAD(Buffer.from(recordId, 'utf8'));
  const ct = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), ct].map((b) => toBase64Url(b)).join('.');
}

export function decryptAtRest(keys: ServerKeys, recordId: string, stored: string): ContactFields {
  const [iv, tag, ct] = stored.split('.').map((p) => Buffer.from(fromBase64Url(p)));
  if (!iv || !tag || !ct) throw new Error('stored contact is malformed');
  const decipher = createDecipheriv('aes-256-gcm', keys.atRest, iv);
  decipher.setAAD(Buffer.from(recordId, 'utf8'));
  decipher.setAuthTag(tag);
  const clear = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  return JSON.parse(clear) as ContactFields;
}
