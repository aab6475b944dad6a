// Row 1 on the wire: the bytes the real server sends a phone (Accept-Encoding as Chrome sends over
// HTTPS) for the first paint and for the whole offline install, beside the budget's gzip -9 figure.
import { request } from 'node:http';
import { measureBudgets } from '../budget.ts';
import type { BenchRow } from '../lib/table.ts';
import { startServer } from '../../tests/e2e/support/server.ts';

/** What Chrome on Android sends over HTTPS (it leaves `br` out over plain http but for localhost). */
export const PHONE_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

interface Sent {
  /** Body bytes as they crossed the wire, encoded. */
  bytes: number;
  encoding: string;
}

function fetchRaw(url: string, acceptEncoding: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        else resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function total(base: string, files: readonly string[], acceptEncoding: string) {
  let bytes = 0;
  const encodings = new Set<string>();
  for (const f of files) {
    const sent = await fetchRaw(`${base}/${f.replace(/^\//, '')}`, acceptEncoding);
    bytes += sent.bytes;
    encodings.add(sent.encoding);
  }
  return { bytes, encodings: [...encodings].sort().join('/') };
}

/** Sent bytes for the JS of the first paint and for the offline install (sw.js + every precached file). */
export async function servedBytes(dist = 'dist'): Promise<BenchRow[]> {
  const budgets = measureBudgets(dist);
  const firstPaint = budgets[0];
  const precache = budgets[1];
  if (!firstPaint || !precache) throw new Error('budget figures missing');
  const server = await startServer({ staticDir: dist, demo: false });
  try {
    const rows: BenchRow[] = [];
    for (const [b, files] of [
      [firstPaint, firstPaint.files],
      [precache, ['sw.js', ...precache.files]],
    ] as const) {
      const sent = await total(server.url, files, PHONE_ACCEPT_ENCODING);
      const plain = await total(server.url, files, 'identity');
      const kb = sent.bytes / 1024;
      rows.push({
        row: 1,
        figure: `sent to a phone: ${b.figure}${files.length > b.files.length ? ' + sw.js' : ''}`,
        unit: 'KB sent',
        goal: `≤ ${b.limitGz / 1024}`,
        median: kb,
        min: kb,
        max: kb,
        runs: 1,
        baselineName: 'identity',
        baseline: plain.bytes / 1024,
        ratio: sent.bytes / plain.bytes,
        meetsGoal: sent.bytes <= b.limitGz,
        note: `${files.length} files as ${sent.encodings}; budget figure (gzip -9) ${(b.bytesGz / 1024).toFixed(1)} KB`,
      });
    }
    return rows;
  } finally {
    await server.stop();
  }
}
