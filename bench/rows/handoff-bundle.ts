// Hand-off bundles (docs/handoff.md): bytes per record in a signed, encrypted, gzipped bundle, the
// time to make and to open one of `records` mutations (Node's WebCrypto, so a desktop figure; a
// low-end phone is several times slower), and how many records the 40-frame QR route carries.
import { v7 } from 'uuid';
import {
  MAX_QR_FRAMES,
  encodeBundle,
  generateCommuneKey,
  generateDeviceKey,
  importEcdhPrivate,
  importEcdhPublic,
  importVerifyKey,
  openBundle,
  toFrames,
} from '../../src/shared/handoff/index.ts';
import { SCHEMA_VERSION, type Mutation } from '../../src/shared/index.ts';
import { makeRecords } from '../lib/data.ts';
import { summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';

export const HANDOFF_ROW = 90;

export async function handoffBundle(opts: { records: number; runs: number }): Promise<BenchRow[]> {
  const commune = await generateCommuneKey();
  const device = await generateDeviceKey();
  const communePublic = await importEcdhPublic(commune.encryptPublic);
  const communePrivate = await importEcdhPrivate(commune.encryptPrivate);
  const clientId = `bench-${v7()}`;
  const mutationsOf = (n: number, seed: number): Mutation[] =>
    makeRecords(n, seed).map((r, i) => ({
      seq: i + 1,
      mutationId: v7(),
      recordId: r.id,
      op: 'upsert',
      baseVersion: null,
      patch: r,
    }));
  const make = async (mutations: Mutation[]) => {
    const bundleId = v7();
    const bytes = await encodeBundle({
      bundleId,
      volunteer: { id: 'u-bench', username: 'bench', displayName: 'Bench' },
      clientId,
      schemaVersion: SCHEMA_VERSION,
      deviceKeyId: device.keyId,
      deviceKey: device.privateKey,
      communeCode: 'B01',
      communeKeyId: commune.keyId,
      communePublic,
      mutations,
      createdAt: new Date().toISOString(),
    });
    return { bytes, bundleId };
  };
  const open = (bytes: Uint8Array) =>
    openBundle(bytes, {
      communeCode: 'B01',
      communeKeyId: commune.keyId,
      communePrivate,
      findDeviceKey: async () => ({
        keyId: device.keyId,
        userId: 'u-bench',
        clientId,
        publicKey: device.publicRaw,
        revoked: false,
      }),
      importVerifyKey,
      seen: async () => false,
    });

  const makeMs: number[] = [];
  const openMs: number[] = [];
  const perRecord: number[] = [];
  for (let run = 0; run < opts.runs; run++) {
    const mutations = mutationsOf(opts.records, 500 + run);
    const t0 = performance.now();
    const { bytes } = await make(mutations);
    const t1 = performance.now();
    await open(bytes);
    const t2 = performance.now();
    makeMs.push(t1 - t0);
    openMs.push(t2 - t1);
    perRecord.push(bytes.length / opts.records);
  }
  // The largest batch the QR route carries: grow until the frames pass the cap.
  let qrRecords = 0;
  for (let n = 10; n <= 1000; n += 10) {
    const { bytes, bundleId } = await make(mutationsOf(n, 900));
    if (toFrames(bytes, bundleId).length > MAX_QR_FRAMES) break;
    qrRecords = n;
  }
  const note = `${opts.records} records`;
  return [
    {
      row: HANDOFF_ROW,
      figure: 'hand-off bundle bytes per record',
      unit: 'B',
      goal: '—',
      ...summary(perRecord),
      meetsGoal: null,
      note,
    },
    {
      row: HANDOFF_ROW,
      figure: 'hand-off bundle make (gzip, encrypt, sign)',
      unit: 'ms',
      goal: '—',
      ...summary(makeMs),
      meetsGoal: null,
      note,
    },
    {
      row: HANDOFF_ROW,
      figure: 'hand-off bundle open (verify, decrypt)',
      unit: 'ms',
      goal: '—',
      ...summary(openMs),
      meetsGoal: null,
      note,
    },
    {
      row: HANDOFF_ROW,
      figure: `records in a ${MAX_QR_FRAMES}-frame QR sequence`,
      unit: 'records',
      goal: '—',
      median: qrRecords,
      min: qrRecords,
      max: qrRecords,
      runs: 1,
      meetsGoal: null,
    },
  ];
}
