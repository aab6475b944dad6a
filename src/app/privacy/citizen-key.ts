// The device's own key for telling citizens apart offline (docs/privacy.md): deviceCitizenKey =
// HMAC-SHA256(device key, ID number), used only for the volunteer's on-device "distinct citizens"
// counts. The device key is a random non-extractable CryptoKey kept in IndexedDB (meta
// 'citizenDeviceKey'); neither it nor any deviceCitizenKey ever leaves the device: the server makes
// its own citizenKey from the sealed number, with a secret no phone holds.
import { Dexie } from 'dexie';
import { normaliseIdNumber } from '../../shared/index.ts';
import type { SotayDB } from '../db/database.ts';
import { getMeta, putMeta } from '../db/meta-repo.ts';

const keys = new WeakMap<SotayDB, Promise<CryptoKey>>();

/** The device key, made on first use; two tabs making one at once both end with the first stored. */
async function deviceKey(db: SotayDB): Promise<CryptoKey> {
  const stored = await getMeta(db, 'citizenDeviceKey');
  if (stored) return stored;
  const fresh = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  // The key is made outside the transaction (WebCrypto promises would end it); kept only if none is.
  return Dexie.ignoreTransaction(() =>
    db.transaction('rw', db.meta, async () => {
      const again = await getMeta(db, 'citizenDeviceKey');
      if (again) return again;
      await putMeta(db, 'citizenDeviceKey', fresh);
      return fresh;
    }),
  );
}

function cachedKey(db: SotayDB): Promise<CryptoKey> {
  let key = keys.get(db);
  if (!key) {
    key = deviceKey(db);
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

/** This device's key of an ID number (spaces and dots the volunteer typed are ignored). */
export async function deviceCitizenKey(db: SotayDB, idNumber: string): Promise<string> {
  const digits = new TextEncoder().encode(normaliseIdNumber(idNumber));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await cachedKey(db), digits));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}
