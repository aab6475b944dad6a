// The keys of the hand-off (docs/handoff.md): a device's ECDSA P-256 signing pair, the commune's
// ECDH P-256 encryption pair and its ECDSA P-256 receipt pair. Public keys travel as raw
// uncompressed points in base64url; private keys the server hands out travel as PKCS#8 base64url.
import { fromBase64Url, toBase64Url, type Bytes } from './bytes.ts';
import { AppError } from '../errors.ts';

/** WebCrypto's key type, named so that it compiles with DOM or Node typings alike. */
export type Key = Parameters<typeof crypto.subtle.sign>[1];
export type Usage = 'encrypt' | 'decrypt';

export const SIGN_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGN_PARAMS = { name: 'ECDSA', hash: 'SHA-256' } as const;
export const ECDH_ALG = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** A short, stable id of a public key: the first 16 bytes of its SHA-256, base64url. */
export async function keyIdOf(publicRaw: Bytes): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', publicRaw));
  return toBase64Url(digest.subarray(0, 16));
}

/** A device signing pair; the private key cannot be exported (it never leaves the device). */
export async function generateDeviceKey(): Promise<{
  privateKey: Key;
  publicKey: Key;
  publicRaw: string;
  keyId: string;
}> {
  const pair = await crypto.subtle.generateKey(SIGN_ALG, false, ['sign', 'verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicRaw: toBase64Url(raw),
    keyId: await keyIdOf(raw),
  };
}

function decodeKey(text: string): Bytes {
  const bytes = fromBase64Url(text);
  if (!bytes || bytes.length === 0) throw new AppError('invalid_request', { reason: 'bad_key' });
  return bytes;
}

export function importVerifyKey(publicRaw: string): Promise<Key> {
  return crypto.subtle.importKey('raw', decodeKey(publicRaw), SIGN_ALG, false, ['verify']);
}

export function importSignKey(pkcs8: string): Promise<Key> {
  return crypto.subtle.importKey('pkcs8', decodeKey(pkcs8), SIGN_ALG, false, ['sign']);
}

export function importEcdhPublic(publicRaw: string): Promise<Key> {
  return crypto.subtle.importKey('raw', decodeKey(publicRaw), ECDH_ALG, false, []);
}

export function importEcdhPrivate(pkcs8: string): Promise<Key> {
  return crypto.subtle.importKey('pkcs8', decodeKey(pkcs8), ECDH_ALG, false, ['deriveBits']);
}

/** A new commune key: an ECDH pair to encrypt bundles to, an ECDSA pair to sign receipts with. */
export interface CommuneKeyMaterial {
  keyId: string;
  encryptPublic: string;
  encryptPrivate: string;
  receiptPublic: string;
  receiptPrivate: string;
}

export async function generateCommuneKey(): Promise<CommuneKeyMaterial> {
  const enc = await crypto.subtle.generateKey(ECDH_ALG, true, ['deriveBits']);
  const sig = await crypto.subtle.generateKey(SIGN_ALG, true, ['sign', 'verify']);
  const encPub = new Uint8Array(await crypto.subtle.exportKey('raw', enc.publicKey));
  return {
    keyId: await keyIdOf(encPub),
    encryptPublic: toBase64Url(encPub),
    encryptPrivate: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', enc.privateKey))),
    receiptPublic: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', sig.publicKey))),
    receiptPrivate: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', sig.privateKey))),
  };
}
