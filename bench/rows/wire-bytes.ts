// Row 6: bytes on the wire per synced record, push bodies of 100 records, gzip vs plain JSON.
import { gzipSync } from 'node:zlib';
import { SCHEMA_VERSION } from '../../src/shared/index.ts';
import { makeRecords } from '../lib/data.ts';
import { summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';
import { v7 } from 'uuid';

export function wireBytes(batches: number): BenchRow {
  const gzPer: number[] = [];
  const jsonPer: number[] = [];
  for (let b = 0; b < batches; b++) {
    const records = makeRecords(100, 1000 + b);
    const body = JSON.stringify({
      clientId: v7(),
      schemaVersion: SCHEMA_VERSION,
      mutations: records.map((r, i) => ({
        seq: b * 100 + i + 1,
        mutationId: v7(),
        recordId: r.id,
        op: 'upsert',
        baseVersion: null,
        patch: r,
      })),
    });
    jsonPer.push(Buffer.byteLength(body) / 100);
    // CompressionStream('gzip') uses the default level, as zlib's default here.
    gzPer.push(gzipSync(body).length / 100);
  }
  const s = summary(gzPer);
  const base = summary(jsonPer).median;
  return {
    row: 6,
    figure: 'bytes per synced record, push of 100, gzip',
    unit: 'B',
    goal: '≤ 100 B',
    ...s,
    baselineName: 'plain JSON',
    baseline: base,
    ratio: s.median / base,
    meetsGoal: s.median <= 100,
  };
}
