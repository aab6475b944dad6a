// The hand-off bundle format (docs/handoff.md): what goes in comes out, and every kind of bad
// bundle is refused with its own code before anything from it is used.
import { describe, expect, test } from 'vitest';
import { AppError, SCHEMA_VERSION, newId, type Mutation } from '../../src/shared/index.ts';
import {
  BUNDLE_VERSION,
  decryptBundle,
  encodeBundle,
  generateCommuneKey,
  generateDeviceKey,
  importEcdhPrivate,
  importEcdhPublic,
  importVerifyKey,
  openBundle,
  parseBundle,
  type KnownDeviceKey,
  type OpenContext,
} from '../../src/shared/handoff/index.ts';
import { makeRecord } from '../support/factories.ts';

function mutations(n: number, firstSeq = 1): Mutation[] {
  return Array.from({ length: n }, (_, i) => {
    const record = makeRecord({ occurredOn: `2026-11-${String(10 + (i % 15)).padStart(2, '0')}` });
    return {
      seq: firstSeq + i,
      mutationId: newId(),
      recordId: record.id,
      op: 'upsert',
      baseVersion: null,
      patch: record,
    };
  });
}

async function setup(n = 5) {
  const commune = await generateCommuneKey();
  const device = await generateDeviceKey();
  const clientId = `client-${newId()}`;
  const muts = mutations(n, 3);
  const bundleId = newId();
  const bytes = await encodeBundle({
    bundleId,
    volunteer: { id: 'u-tnv', username: 'tnv-a', displayName: 'Tình nguyện viên A' },
    clientId,
    schemaVersion: SCHEMA_VERSION,
    deviceKeyId: device.keyId,
    deviceKey: device.privateKey,
    communeCode: 'X01',
    communeKeyId: commune.keyId,
    communePublic: await importEcdhPublic(commune.encryptPublic),
    mutations: muts,
    createdAt: '2026-11-28T01:02:03.000Z',
  });
  const known: KnownDeviceKey = {
    keyId: device.keyId,
    userId: 'u-tnv',
    clientId,
    publicKey: device.publicRaw,
    revoked: false,
  };
  const seen = new Set<string>();
  const ctx: OpenContext = {
    communeCode: 'X01',
    communeKeyId: commune.keyId,
    communePrivate: await importEcdhPrivate(commune.encryptPrivate),
    findDeviceKey: async (id) => (id === known.keyId ? known : null),
    importVerifyKey,
    seen: async (id) => seen.has(id),
  };
  return { commune, device, clientId, muts, bundleId, bytes, known, seen, ctx };
}

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('hand-off bundle', () => {
  test('round trip: the lead gets back every mutation, with the header describing them', async () => {
    const s = await setup(7);
    const opened = await openBundle(s.bytes, s.ctx);
    expect(opened.mutations).toEqual(s.muts);
    expect(opened.header).toMatchObject({
      bundleId: s.bundleId,
      clientId: s.clientId,
      count: 7,
      seqFrom: 3,
      seqTo: 9,
      communeCode: 'X01',
      volunteer: { id: 'u-tnv', displayName: 'Tình nguyện viên A' },
    });
    const days = s.muts.map((m) => String(m.patch?.occurredOn)).sort();
    expect(opened.header.dateFrom).toBe(days[0]);
    expect(opened.header.dateTo).toBe(days.at(-1));
    expect(s.bytes[4]).toBe(BUNDLE_VERSION);
  });

  test('the payload is compressed and encrypted: no record field shows in the bytes', async () => {
    const s = await setup(30);
    const text = new TextDecoder('latin1').decode(s.bytes);
    for (const m of s.muts.slice(0, 5)) expect(text).not.toContain(m.recordId);
    expect(text).not.toContain('occurredOn');
    // 30 whole records as JSON are several kilobytes; gzip brings the bundle well below that.
    expect(s.bytes.length).toBeLessThan(JSON.stringify(s.muts).length / 2);
  });

  test('a byte changed anywhere (header, body or signature) is refused as tampered', async () => {
    const s = await setup();
    const { header } = parseBundle(s.bytes);
    const headerStart = 9;
    const headerLen = new TextEncoder().encode(JSON.stringify(header)).length;
    const positions = [headerStart + headerLen + 20, s.bytes.length - 100, s.bytes.length - 1];
    for (const at of positions) {
      const bad = new Uint8Array(s.bytes);
      bad[at] = bad[at]! ^ 0x01;
      expect(await refusal(openBundle(bad, s.ctx))).toBe('handoff_tampered');
    }
  });

  test('a header edited to claim more records or another date is refused (signature covers it)', async () => {
    const s = await setup();
    const text = new TextDecoder().decode(s.bytes.subarray(9, 9 + new DataView(s.bytes.buffer).getUint32(5)));
    const edited = text.replace('"count":5', '"count":6');
    expect(edited).not.toBe(text);
    const bad = new Uint8Array(s.bytes);
    bad.set(new TextEncoder().encode(edited), 9);
    expect(await refusal(openBundle(bad, s.ctx))).toBe('handoff_tampered');
  });

  test('a truncated bundle is refused as truncated at every cut point', async () => {
    const s = await setup();
    for (const cut of [3, 8, 30, Math.floor(s.bytes.length / 2), s.bytes.length - 1])
      expect(await refusal(openBundle(s.bytes.subarray(0, cut), s.ctx))).toBe('handoff_truncated');
  });

  test('not a bundle, or a newer format version, is refused with its own code', async () => {
    const s = await setup();
    expect(await refusal(openBundle(new TextEncoder().encode('%PDF-1.7 not a bundle'), s.ctx))).toBe(
      'handoff_corrupt',
    );
    const newer = new Uint8Array(s.bytes);
    newer[4] = BUNDLE_VERSION + 1;
    expect(await refusal(openBundle(newer, s.ctx))).toBe('handoff_unsupported_version');
    const longer = new Uint8Array(s.bytes.length + 3);
    longer.set(s.bytes);
    expect(await refusal(openBundle(longer, s.ctx))).toBe('handoff_corrupt');
  });

  test('a bundle imported once is refused the second time (replay)', async () => {
    const s = await setup();
    const first = await openBundle(s.bytes, s.ctx);
    s.seen.add(first.header.bundleId);
    expect(await refusal(openBundle(s.bytes, s.ctx))).toBe('handoff_replayed');
  });

  test('another commune: refused by header, and a body encrypted to another key does not open', async () => {
    const s = await setup();
    expect(await refusal(openBundle(s.bytes, { ...s.ctx, communeCode: 'X02' }))).toBe(
      'handoff_wrong_commune',
    );
    const other = await generateCommuneKey();
    const parsed = parseBundle(s.bytes);
    expect(await refusal(decryptBundle(parsed, await importEcdhPrivate(other.encryptPrivate)))).toBe(
      'handoff_wrong_commune',
    );
  });

  test('unknown or revoked device keys, or a key bound to another volunteer, are refused', async () => {
    const s = await setup();
    expect(await refusal(openBundle(s.bytes, { ...s.ctx, findDeviceKey: async () => null }))).toBe(
      'handoff_unknown_device',
    );
    expect(
      await refusal(
        openBundle(s.bytes, { ...s.ctx, findDeviceKey: async () => ({ ...s.known, revoked: true }) }),
      ),
    ).toBe('handoff_revoked');
    expect(
      await refusal(
        openBundle(s.bytes, { ...s.ctx, findDeviceKey: async () => ({ ...s.known, userId: 'u-other' }) }),
      ),
    ).toBe('handoff_tampered');
  });

  test('a bundle signed by another device key than the one registered is refused', async () => {
    const s = await setup();
    const impostor = await generateDeviceKey();
    const ctx = { ...s.ctx, findDeviceKey: async () => ({ ...s.known, publicKey: impostor.publicRaw }) };
    expect(await refusal(openBundle(s.bytes, ctx))).toBe('handoff_tampered');
  });
});
