// The server's keys for citizens' data (docs/privacy.md, docs/operations.md): an ECDH P-256 key pair
// whose public half phones use to seal contacts and ID numbers for the server, a 256-bit key that
// encrypts contacts at rest, and the secrets of citizenKey (citizen-secret.ts). Kept in a key file
// created on first start (mode 0600), never in the database: a copy of the database alone reveals no
// contact, and no key can be turned back into an ID number without the file.
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toBase64Url } from '../../shared/index.ts';
import { DIR_MODE, FILE_MODE, tighten } from '../store/file-modes.ts';
import { CitizenSecrets, newCitizenMaster, type CitizenKeyFileFields } from './citizen-secret.ts';

export const KEY_FILE_NAME = 'sotay-keys.json';

export interface ServerKeys {
  /** Opens sealed contacts (ECDH P-256, non-extractable once loaded). */
  contactPrivate: webcrypto.CryptoKey;
  /** The public half, raw uncompressed point in base64url: sent to phones at login. */
  contactPublic: string;
  /** AES-256-GCM key of contacts at rest. */
  atRest: Buffer;
  /** Each commune's secret of citizenKey; never leaves the server. */
  citizen: CitizenSecrets;
}

interface KeyFile extends CitizenKeyFileFields {
  version: 1;
  contactPrivateJwk: webcrypto.JsonWebKey;
  contactPublic: string;
  atRest: string;
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

async function generate(): Promise<KeyFile> {
  const pair = await webcrypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const raw = new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey));
  return {
    version: 1,
    contactPrivateJwk: await webcrypto.subtle.exportKey('jwk', pair.privateKey),
    contactPublic: toBase64Url(raw),
    atRest: randomBytes(32).toString('base64'),
    citizenMaster: newCitizenMaster(),
  };
}

/** `path`: the key file the citizen secrets are read again from (null: in memory only). */
async function load(file: KeyFile, path: string | null): Promise<ServerKeys> {
  const atRest = Buffer.from(file.atRest, 'base64');
  if (file.version !== 1 || atRest.length !== 32)
    throw new Error('The key file is not a Sổ tay key file (version 1).');
  return {
    contactPrivate: await webcrypto.subtle.importKey('jwk', file.contactPrivateJwk, ECDH, false, [
      'deriveBits',
    ]),
    contactPublic: file.contactPublic,
    atRest,
    citizen: new CitizenSecrets(path, file, atRest),
  };
}

/** Fresh keys held only in memory (tests; a server that must not keep contacts across restarts). */
export async function ephemeralKeys(): Promise<ServerKeys> {
  return load(await generate(), null);
}

/** The key file at `path` (SOTAY_KEY_FILE) or in the data dir; created with new keys when missing.
 *  Several processes may start together on one data dir: each writes its keys whole to a file of
 *  its own, then links it to `path`, which fails if another got there first. The loser reads the
 *  winner's file, which is complete by then, so every process ends with the same keys. */
export async function loadOrCreateKeys(path: string): Promise<{ keys: ServerKeys; created: boolean }> {
  const readExisting = async () => load(JSON.parse(readFileSync(path, 'utf8')) as KeyFile, path);
  if (existsSync(path)) {
    tighten(path, FILE_MODE); // a copy restored from a backup may have come back 0644
    return { keys: await readExisting(), created: false };
  }
  const file = await generate();
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  const own = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(own, `${JSON.stringify(file, null, 2)}\n`, { mode: FILE_MODE, flag: 'wx' });
  try {
    linkSync(own, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { keys: await readExisting(), created: false };
  } finally {
    unlinkSync(own);
  }
  return { keys: await load(file, path), created: true };
}

export function defaultKeyFile(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}
