// Sealing for the server, on the phone (WebCrypto, also in Node): an ephemeral ECDH P-256 key pair
// agrees a secret with the server's public key (from login), HKDF-SHA256 (salt: the ephemeral public
// key, info: what is sealed) turns it into an AES-256-GCM key, and the record id is the associated
// data. The phone keeps no key that opens it: only the server can (docs/privacy.md). The `info`
// differs per use, so a sealed contact never opens as a sealed ID number, nor the other way round.
import { CITIZEN_SEAL_INFO, normaliseIdNumber } from './id-number.ts';
import { SEAL_INFO, SEAL_VERSION, fromBase64Url, toBase64Url, type ContactFields } from './contact.ts';

/** `SEAL_VERSION.epk.iv.ciphertext` of `clear`, openable only by the server's private key. */
export async function sealForServer(
  serverPublicKey: string,
  recordId: string,
  info: string,
  clear: Uint8Array<ArrayBuffer>,
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
    { name: 'HKDF', hash: 'SHA-256', salt: epk, info: enc.encode(info) },
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(recordId) }, aes, clear);
  return [SEAL_VERSION, toBase64Url(epk), toBase64Url(iv), toBase64Url(new Uint8Array(ct))].join('.');
}

export function sealContact(
  serverPublicKey: string,
  recordId: string,
  contact: ContactFields,
): Promise<string> {
  return sealForServer(
    serverPublicKey,
    recordId,
    SEAL_INFO,
    new TextEncoder().encode(JSON.stringify(contact)),
  );
}

/** The typed ID number (its 12 digits) sealed for the server: the `citizenSeal` of a create. */
export function sealCitizenId(serverPublicKey: string, recordId: string, idNumber: string): Promise<string> {
  return sealForServer(
    serverPublicKey,
    recordId,
    CITIZEN_SEAL_INFO,
    new TextEncoder().encode(normaliseIdNumber(idNumber)),
  );
}
