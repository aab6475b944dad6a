// The key file of citizens' data: created on first start (owner-only), the same keys on every later
// start, so a contact sealed before a restart still opens after it.
import { readdirSync, statSync } from 'node:fs';
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
