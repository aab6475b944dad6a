// The key file of citizens' data: created on first start (owner-only), the same keys on every later
// start, so a contact sealed before a restart still opens after it; the commune secrets of citizenKey
// in it are the same for every process, including those moved there from the database.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealContact } from '../../src/shared/index.ts';
import { decryptAtRest, encryptAtRest, openSealed } from '../../src/server/privacy/contact-vault.ts';
import { loadOrCreateKeys } from '../../src/server/privacy/keys.ts';
import { removeDir, tempDir } from './harness.ts';

const dir = tempDir();
afterAll(() => removeDir(dir));
const CONTACT = { name: 'Người Thử Nghiệm Bốn', phone: '0900000321' };

describe('key file', () => {
  it('is created once with owner-only permissions and gives the same keys after a restart', async () => {
    const path = join(dir, 'nested', 'sotay-keys.json');
    const first = await loadOrCreateKeys(path);
    expect(first.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const sealed = await sealContact(first.keys.contactPublic, 'rec-1', CONTACT);
    const atRest = encryptAtRest(first.keys, 'rec-1', CONTACT);

    const again = await loadOrCreateKeys(path);
    expect(again.created).toBe(false);
    expect(again.keys.contactPublic).toBe(first.keys.contactPublic);
    expect(await openSealed(again.keys, 'rec-1', sealed)).toEqual(CONTACT);
    expect(decryptAtRest(again.keys, 'rec-1', atRest)).toEqual(CONTACT);
  });

  it('gives every process the same secrets when several move old secrets into the file at once', async () => {
    const shared = join(dir, 'adopting');
    const path = join(shared, 'sotay-keys.json');
    const starts = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateKeys(path)));
    const moved = new Map(
      ['99001', '99002', '99003', '99004'].map((c) => [c, randomBytes(32).toString('hex')]),
    );
    const derived = starts[0]!.keys.citizen.secretOf('99009');
    // Each process moves one commune's secret, and all of them the first one, at the same time.
    await Promise.all(
      starts.map((start, i) => {
        const code = [...moved.keys()][i]!;
        return start.keys.citizen.adopt(
          new Map([
            [code, moved.get(code)!],
            ['99001', moved.get('99001')!],
          ]),
        );
      }),
    );
    const file = JSON.parse(readFileSync(path, 'utf8')) as { citizenSecrets: Record<string, string> };
    expect(file.citizenSecrets).toEqual(Object.fromEntries(moved));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(shared)).toEqual(['sotay-keys.json']);
    const later = await loadOrCreateKeys(path);
    for (const start of [...starts, later]) {
      for (const [code, hex] of moved) expect(start.keys.citizen.secretOf(code).toString('hex')).toBe(hex);
      expect(start.keys.citizen.secretOf('99009').equals(derived)).toBe(true);
    }
    // A secret already in the file is never replaced by another one.
    await later.keys.citizen.adopt(new Map([['99001', 'f'.repeat(64)]]));
    expect(starts[0]!.keys.citizen.secretOf('99001').toString('hex')).toBe(moved.get('99001'));
  });

  it('derives the same commune secrets from a key file written before the citizen master existed', async () => {
    const path = join(dir, 'old-format', 'sotay-keys.json');
    await loadOrCreateKeys(path);
    const { citizenMaster: _new, ...old } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify(old), { mode: 0o600 });
    const a = await loadOrCreateKeys(path);
    const b = await loadOrCreateKeys(path);
    expect(a.keys.citizen.secretOf('99001').equals(b.keys.citizen.secretOf('99001'))).toBe(true);
    expect(a.keys.citizen.secretOf('99001').equals(a.keys.citizen.secretOf('99002'))).toBe(false);
  });

  it('gives every process the same keys when several start together on one data dir', async () => {
    const shared = join(dir, 'together');
    const path = join(shared, 'sotay-keys.json');
    const starts = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateKeys(path)));
    expect(starts.filter((start) => start.created)).toHaveLength(1);
    expect(new Set(starts.map((start) => start.keys.contactPublic)).size).toBe(1);
    const sealed = await sealContact(starts[0]!.keys.contactPublic, 'rec-1', CONTACT);
    for (const start of starts) expect(await openSealed(start.keys, 'rec-1', sealed)).toEqual(CONTACT);
    expect(readdirSync(shared)).toEqual(['sotay-keys.json']);
  });

  it('opens nothing sealed for another record or altered on the way', async () => {
    const { keys } = await loadOrCreateKeys(join(dir, 'other.json'));
    const sealed = await sealContact(keys.contactPublic, 'rec-1', CONTACT);
    expect(await openSealed(keys, 'rec-2', sealed)).toBeNull();
    const parts = sealed.split('.');
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await openSealed(keys, 'rec-1', parts.join('.'))).toBeNull();
    expect(() => decryptAtRest(keys, 'rec-2', encryptAtRest(keys, 'rec-1', CONTACT))).toThrow();
  });
});
