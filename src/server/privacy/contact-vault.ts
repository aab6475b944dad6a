// Contacts on the server: open what a phone sealed (ECDH P-256 + HKDF-SHA256 + AES-256-GCM, the
// record id as associated data), then keep them encrypted at rest (AES-256-GCM under the server key,
// the record id again as associated data, so a row moved to another record does not open).
import {
  KeyObject,
  createCipheriv,
  createDecipheriv,
  createECDH,
  type ECDH,
  hkdfSync,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import {
  ContactFields,
  SEAL_INFO,
  SEAL_VERSION,
  fromBase64Url,
  normaliseContact,
  toBase64Url,
} from '../../shared/index.ts';
import type { ServerKeys } from './keys.ts';

// The server's private key as a node:crypto ECDH object, made once per key: opening a seal is then a
// few synchronous calls, not five WebCrypto promises each scheduled on the thread pool. ECDH takes the
// phone's raw point as it is (no SPKI key object to build per seal) and checks it is on the curve.
const agreements = new WeakMap<webcrypto.CryptoKey, ECDH>();
function agreementOf(key: webcrypto.CryptoKey): ECDH {
  let ecdh = agreements.get(key);
  if (!ecdh) {
    const d = KeyObject.from(key).export({ format: 'jwk' }).d;
    if (!d) throw new Error('The contact key is not an EC private key.');
    ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(d, 'base64url'));
    agreements.set(key, ecdh);
  }
  return ecdh;
}

const GCM_TAG_BYTES = 16;

/** A P-256 point as WebCrypto's 'raw' import takes it: uncompressed (65 bytes) or compressed (33). */
const isRawPoint = (point: Uint8Array): boolean =>
  (point.length === 65 && point[0] === 4) || (point.length === 33 && (point[0] === 2 || point[0] === 3));

/** The clear bytes a phone sealed for `info` (seal.ts), or null when they do not open (wrong key,
 *  tampered, other record, other use). Synchronous work; async only to keep the callers' shape. */
export function openSealedBytes(
  keys: ServerKeys,
  recordId: string,
  sealed: string,
  info: string,
): Promise<Uint8Array | null> {
  return Promise.resolve(openSealedBytesSync(keys, recordId, sealed, info));
}

/** openSealedBytes without the promise: ECDH P-256, HKDF-SHA256, AES-256-GCM, byte for byte as
 *  the phone's WebCrypto sealing (seal.ts) expects. */
export function openSealedBytesSync(
  keys: ServerKeys,
  recordId: string,
  sealed: string,
  info: string,
): Uint8Array | null {
  const [version, epk, iv, ct, extra] = sealed.split('.');
  if (version !== SEAL_VERSION || !epk || !iv || !ct || extra !== undefined) return null;
  try {
    const point = fromBase64Url(epk);
    if (!isRawPoint(point)) return null;
    const nonce = fromBase64Url(iv);
    const data = fromBase64Url(ct);
    if (nonce.length === 0 || data.length < GCM_TAG_BYTES) return null;
    const bits = agreementOf(keys.contactPrivate).computeSecret(point);
    const aesKey = Buffer.from(hkdfSync('sha256', bits, point, info, 32));
    const decipher = createDecipheriv('aes-256-gcm', aesKey, nonce, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(Buffer.from(recordId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
    const clear = Buffer.concat([
      decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)),
      decipher.final(),
    ]);
    return new Uint8Array(clear); // a copy of its own, not a view of Buffer's shared pool
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
