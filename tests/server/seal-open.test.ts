// The server opens seals with synchronous node:crypto (contact-vault.ts); the phone seals them with
// WebCrypto (seal.ts, here run in Node's WebCrypto). Both must agree byte for byte: every seal the
// phone's code makes opens to exactly what was sealed, as the WebCrypto opening the server used
// before does, and a seal altered anywhere, for another record, use or key is refused as before.
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { citizenKeyFromSeal } from '../../src/server/privacy/citizen-write.ts';
import { openSealed, openSealedBytes } from '../../src/server/privacy/contact-vault.ts';
import { ephemeralKeys, type ServerKeys } from '../../src/server/privacy/keys.ts';
import {
  CITIZEN_SEAL_INFO,
  SEAL_INFO,
  fromBase64Url,
  sealCitizenId,
  sealContact,
  sealForServer,
} from '../../src/shared/index.ts';
import { fakeIdNumber } from '../support/citizen-ids.ts';

const keys = await ephemeralKeys();
const CONTACT = { name: 'Người Thử Nghiệm Năm', phone: '0900000654' };
const enc = new TextEncoder();

/** The WebCrypto opening, step for step as the server did it before: the reference to agree with. */
async function openWithWebCrypto(
  k: ServerKeys,
  recordId: string,
  sealed: string,
  info: string,
): Promise<Uint8Array | null> {
  const [, epk, iv, ct] = sealed.split('.');
  const subtle = webcrypto.subtle;
  try {
    const ephemeral = await subtle.importKey(
      'raw',
      fromBase64Url(epk!),
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      [],
    );
    const bits = await subtle.deriveBits({ name: 'ECDH', public: ephemeral }, k.contactPrivate, 256);
    const hkdf = await subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey']);
    const aes = await subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: fromBase64Url(epk!), info: enc.encode(info) },
      hkdf,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    const clear = await subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv!), additionalData: enc.encode(recordId) },
      aes,
      fromBase64Url(ct!),
    );
    return new Uint8Array(clear);
  } catch {
    return null;
  }
}

/** Each of the seal's three base64url parts with one character changed. */
function tampered(sealed: string): string[] {
  const parts = sealed.split('.');
  return [1, 2, 3].flatMap((k) =>
    [0, Math.floor(parts[k]!.length / 2), parts[k]!.length - 2].map((at) => {
      const copy = [...parts];
      const part = copy[k]!;
      copy[k] = `${part.slice(0, at)}${part[at] === 'A' ? 'B' : 'A'}${part.slice(at + 1)}`;
      return copy.join('.');
    }),
  );
}

afterEach(() => vi.restoreAllMocks());

describe('opening seals made by the phone', () => {
  it('gives the very bytes sealed, as the WebCrypto opening does, for every length', async () => {
    for (let length = 0; length <= 70; length += 7) {
      const clear = webcrypto.getRandomValues(new Uint8Array(length));
      const sealed = await sealForServer(keys.contactPublic, 'rec-1', 'sotay-test-v1', clear);
      const opened = await openSealedBytes(keys, 'rec-1', sealed, 'sotay-test-v1');
      expect(opened).toEqual(clear);
      expect(opened).toEqual(await openWithWebCrypto(keys, 'rec-1', sealed, 'sotay-test-v1'));
    }
  });

  it("turns a phone's sealed ID number into its citizenKey and opens a sealed contact", async () => {
    const idNumber = fakeIdNumber();
    const sealed = await sealCitizenId(keys.contactPublic, 'rec-2', idNumber);
    expect(await citizenKeyFromSeal(keys, '99001', 'rec-2', sealed)).toBe(
      keys.citizen.keyOf('99001', idNumber),
    );
    const contact = await sealContact(keys.contactPublic, 'rec-2', CONTACT);
    expect(await openSealed(keys, 'rec-2', contact)).toEqual(CONTACT);
  });

  it('refuses a seal altered anywhere, or made for another record, use or server', async () => {
    const sealed = await sealCitizenId(keys.contactPublic, 'rec-3', fakeIdNumber());
    const refused = [{ field: 'citizenSeal', code: 'seal_invalid' }];
    for (const bad of tampered(sealed)) {
      expect(await openSealedBytes(keys, 'rec-3', bad, CITIZEN_SEAL_INFO)).toBeNull();
      expect(await openWithWebCrypto(keys, 'rec-3', bad, CITIZEN_SEAL_INFO)).toBeNull();
      expect(await citizenKeyFromSeal(keys, '99001', 'rec-3', bad)).toMatchObject(refused);
    }
    expect(await citizenKeyFromSeal(keys, '99001', 'rec-4', sealed)).toMatchObject(refused);
    expect(await openSealedBytes(keys, 'rec-3', sealed, SEAL_INFO)).toBeNull();
    expect(await citizenKeyFromSeal(await ephemeralKeys(), '99001', 'rec-3', sealed)).toMatchObject(refused);
    for (const bad of [
      `${sealed}.x`,
      sealed.replace(/^[^.]+/, 'v0'),
      sealed.split('.').slice(0, 3).join('.'),
    ])
      expect(await citizenKeyFromSeal(keys, '99001', 'rec-3', bad)).toMatchObject(refused);
  });

  it('runs no WebCrypto call per seal', async () => {
    const seals = await Promise.all(
      Array.from({ length: 5 }, () => sealCitizenId(keys.contactPublic, 'rec-5', fakeIdNumber())),
    );
    await openSealedBytes(keys, 'rec-5', seals[0]!, CITIZEN_SEAL_INFO); // the key's one-time setup
    const subtle = webcrypto.subtle;
    const spies = (['importKey', 'deriveBits', 'deriveKey', 'decrypt'] as const).map((name) =>
      vi.spyOn(subtle, name),
    );
    for (const sealed of seals)
      expect(await openSealedBytes(keys, 'rec-5', sealed, CITIZEN_SEAL_INFO)).not.toBeNull();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
