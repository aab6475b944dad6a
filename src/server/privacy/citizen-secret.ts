// The server's secrets of citizenKey = HMAC-SHA256(commune secret, ID number) (docs/privacy.md). They
// live in the key file (keys.ts), never in the database and never on a phone: a commune's secret is
// the one moved there from the database (communes that predate the key file), or else derived from
// the key file's citizen master key and the commune code. Several processes may share the file.
import { createHmac, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';

/** citizenKey of a (normalised, 12-digit) ID number: 64 hex digits. */
export function citizenKeyOf(secret: Buffer, idNumber: string): string {
  return createHmac('sha256', secret).update(idNumber, 'utf8').digest('hex');
}

/** What the key file says about citizens' secrets (keys.ts keeps the rest of the file). */
export interface CitizenKeyFileFields {
  /** 32 random bytes (base64); absent from key files made before it existed (then derived from atRest). */
  citizenMaster?: string;
  /** Secrets moved from the database's `communes` rows, by commune code (64 hex digits each). */
  citizenSecrets?: Record<string, string>;
}

const HEX64 = /^[0-9a-f]{64}$/;

function masterOf(file: CitizenKeyFileFields, atRest: Buffer): Buffer {
  if (file.citizenMaster) {
    const m = Buffer.from(file.citizenMaster, 'base64');
    if (m.length !== 32) throw new Error('The key file has a malformed citizenMaster.');
    return m;
  }
  // Key files written before the citizen master: derived, so every process agrees without a write.
  return Buffer.from(hkdfSync('sha256', atRest, Buffer.alloc(0), 'sotay-citizen-master-v1', 32));
}

function secretsOf(file: CitizenKeyFileFields): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [code, hex] of Object.entries(file.citizenSecrets ?? {})) {
    if (!HEX64.test(hex)) throw new Error(`The key file has a malformed citizen secret for ${code}.`);
    out.set(code, Buffer.from(hex, 'hex'));
  }
  return out;
}

export function newCitizenMaster(): string {
  return randomBytes(32).toString('base64');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Each commune's secret, read from the key file at `path` (null: held in memory only, for tests).
 * Another process may move secrets into the file at any time (adopt): before answering, the file is
 * read again whenever it is not the one last read (another inode, size or time).
 */
export class CitizenSecrets {
  readonly #path: string | null;
  readonly #atRest: Buffer;
  #master: Buffer;
  #moved: Map<string, Buffer>;
  #seen = '';

  constructor(path: string | null, file: CitizenKeyFileFields, atRest: Buffer) {
    this.#path = path;
    this.#atRest = atRest;
    this.#master = masterOf(file, atRest);
    this.#moved = secretsOf(file);
    this.#seen = this.#stamp();
  }

  #stamp(): string {
    if (!this.#path) return '';
    try {
      const s = statSync(this.#path);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return '';
    }
  }

  #refresh(): void {
    if (!this.#path) return;
    const stamp = this.#stamp();
    if (stamp === this.#seen) return;
    const file = JSON.parse(readFileSync(this.#path, 'utf8')) as CitizenKeyFileFields;
    this.#master = masterOf(file, this.#atRest);
    this.#moved = secretsOf(file);
    this.#seen = stamp;
  }

  /** The commune's HMAC key of citizenKey. */
  secretOf(communeCode: string): Buffer {
    this.#refresh();
    const moved = this.#moved.get(communeCode);
    if (moved) return moved;
    return createHash('sha256')
      .update(this.#master)
      .update(`sotay-citizen-secret-v1:${communeCode}`, 'utf8')
      .digest();
  }

  /** citizenKey of a normalised ID number in a commune. */
  keyOf(communeCode: string, idNumber: string): string {
    return citizenKeyOf(this.secretOf(communeCode), idNumber);
  }

  /**
   * Keep these secrets (moved from the database) in the key file, unless it holds one for that
   * commune already. Written under a lock file (O_EXCL) as a whole new file renamed over the old, so
   * a reader never sees half a file and two processes adopting at once both end with every secret.
   * Resolves once the file holds them: only then may the database forget them.
   */
  async adopt(secrets: ReadonlyMap<string, string>): Promise<void> {
    for (const [code, hex] of secrets)
      if (!HEX64.test(hex)) throw new Error(`The citizen secret of commune ${code} is malformed.`);
    if (!this.#path) {
      for (const [code, hex] of secrets)
        if (!this.#moved.has(code)) this.#moved.set(code, Buffer.from(hex, 'hex'));
      return;
    }
    const path = this.#path;
    const lock = `${path}.lock`;
    await takeLock(lock);
    try {
      const file = JSON.parse(readFileSync(path, 'utf8')) as CitizenKeyFileFields & Record<string, unknown>;
      const kept = { ...(file.citizenSecrets ?? {}) };
      let changed = false;
      for (const [code, hex] of secrets)
        if (!kept[code]) {
          kept[code] = hex;
          changed = true;
        }
      if (changed) {
        const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
        writeFileSync(tmp, `${JSON.stringify({ ...file, citizenSecrets: kept }, null, 2)}\n`, {
          mode: 0o600,
          flag: 'wx',
        });
        renameSync(tmp, path);
      }
    } finally {
      unlinkSync(lock);
    }
    this.#seen = '';
    this.#refresh();
  }
}

/** A lock file made with O_EXCL; one left by a crashed process (older than a minute) is broken. */
async function takeLock(lock: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      writeFileSync(lock, String(process.pid), { mode: 0o600, flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > 60_000) unlinkSync(lock);
    } catch {
      // Gone meanwhile: try again.
    }
    if (tries > 1000) throw new Error(`The key file is locked (${lock}); remove the lock if no server runs.`);
    await sleep(20);
  }
}
