// Byte budgets of the built PWA (performance.md row 1). Deterministic, so it may fail the build:
// JS reachable from index.html by static imports, every precached asset, and CSS, all gzipped.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BudgetRow {
  figure: string;
  bytesGz: number;
  limitGz: number;
  files: string[];
}

const KB = 1024;
export const BUDGETS = { reachableJs: 100 * KB, precache: 250 * KB, css: 20 * KB };

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

function gz(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function measureBudgets(dist = 'dist'): BudgetRow[] {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} missing: run "npm run build" first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;

  // Static imports only: dynamic imports (lazy screens, workbox-window) load after first paint.
  const reachable = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || reachable.has(chunk.file)) return;
    reachable.add(chunk.file);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const jsFiles = [...reachable].filter((f) => f.endsWith('.js'));

  const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
  const precached = [...new Set([...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] as string))];

  const cssFiles = walk(dist)
    .filter((p) => p.endsWith('.css'))
    .map((p) => relative(dist, p));
  const inlineCss = [
    ...readFileSync(join(dist, 'index.html'), 'utf8').matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g),
  ]
    .map((m) => m[1] as string)
    .join('\n');

  return [
    {
      figure: 'JS reachable from index.html',
      bytesGz: jsFiles.reduce((n, f) => n + gz(join(dist, f)), 0),
      limitGz: BUDGETS.reachableJs,
      files: jsFiles,
    },
    {
      figure: 'all precached assets',
      bytesGz: precached.reduce((n, f) => n + gz(join(dist, f)), 0),
      limitGz: BUDGETS.precache,
      files: precached,
    },
    {
      figure: 'CSS (files + inline in index.html)',
      bytesGz:
        cssFiles.reduce((n, f) => n + gz(join(dist, f)), 0) +
        gzipSync(Buffer.from(inlineCss), { level: 9 }).length,
      limitGz: BUDGETS.css,
      files: [...cssFiles, 'index.html <style>'],
    },
  ];
}

export function printBudgets(rows: BudgetRow[]): boolean {
  let ok = true;
  console.log('\nByte budgets (gzip -9)');
  console.log('| figure | size | budget | status |');
  console.log('|---|---:|---:|---|');
  for (const r of rows) {
    const pass = r.bytesGz <= r.limitGz;
    ok &&= pass;
    console.log(
      `| ${r.figure} | ${(r.bytesGz / KB).toFixed(1)} KB | ${(r.limitGz / KB).toFixed(0)} KB | ${pass ? 'ok' : 'OVER BUDGET'} |`,
    );
  }
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ok = printBudgets(measureBudgets(process.argv[2] ?? 'dist'));
  if (!ok) {
    console.error('Byte budget exceeded (performance.md row 1).');
    process.exit(1);
  }
}
