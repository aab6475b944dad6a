// Sealing a follow-up contact for the server, on the phone (WebCrypto, also in Node): an ephemeral
// ECDH P-256 key pair agrees a secret with the server's public key (from login), HKDF-SHA256 (salt:
// the ephemeral public key, info: SEAL_INFO) turns it into an AES-256-GCM key, and the record id is
// the associated data. The phone keeps no key that opens it: only the server can (docs/privacy.md).
import { SEAL_INFO, SEAL_VERSION, fromBase64Url, toBase64Url, type ContactFields } from './contact.ts';

export async function sealContact(
  serverPublicKey: string,
  recordId: string,
  contact: ContactFields,
): Promise<string> {
  const subtle = globalThis.crypto.subtle;
  const enc = new TextEncoder();
  const curve = { name: 'ECDH', namedCurve: 'P-256' } as const;
  const server = await subtle.importKey('raw', fromBase64Url(serverPublicKey), curve, false, []);
  const ephemeral = await subtle.generateKey(curve, false, ['deriveBits']);
  const epk = new Uint8Array(await subtle.exportKey('raw', ephemeral.publicKey));
  const bits = await subtle.deriveBits({ name: 'ECDH', public: server }, ephemeral.privateKey, 256);
  const hkdf = await subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
  const aes = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: epk, info: enc.encode(SEAL_INFO) },
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ct = await subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: enc.encode(recordId) },
    aes,
    enc.encode(JSON.stringify(contact)),
  );
  return [SEAL_VERSION, toBase64Url(epk), toBase64Url(iv), toBase64Url(new Uint8Array(ct))].join('.');
}
