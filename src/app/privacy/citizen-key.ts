// citizenKey = HMAC-SHA256(commune secret, ID number), made on the device with WebCrypto so the
// number itself is never stored or sent (docs/privacy.md). The imported key is non-extractable.
import { normaliseIdNumber } from '../../shared/index.ts';

const keys = new Map<string, Promise<CryptoKey>>();

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function hmacKey(secretHex: string): Promise<CryptoKey> {
  let key = keys.get(secretHex);
  if (!key) {
    key = crypto.subtle.importKey('raw', hexBytes(secretHex), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(secretHex, key);
  }
  return key;
}

/** The citizenKey of an ID number (spaces and dots the volunteer typed are ignored). */
export async function citizenKeyFor(secretHex: string, idNumber: string): Promise<string> {
  const digits = new TextEncoder().encode(normaliseIdNumber(idNumber));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secretHex), digits));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}
