// The one table every bench row reports into, printed as Markdown and saved as JSON for comparison.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BenchRow {
  /** performance.md budget row number. */
  row: number;
  figure: string;
  unit: string;
  goal: string;
  median: number | null;
  min: number | null;
  max: number | null;
  runs: number;
  baselineName?: string;
  baseline?: number | null;
  /** median / baseline, when both exist. */
  ratio?: number | null;
  /** true/false when the goal is checked, null when the row could not be measured. */
  meetsGoal: boolean | null;
  note?: string;
}

function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}

export function printTable(rows: BenchRow[]): void {
  console.log('\n| # | figure | goal | median | min | max | runs | baseline | ratio | goal met |');
  console.log('|---|---|---|---:|---:|---:|---:|---|---:|---|');
  for (const r of rows) {
    // A baseline with no figure (e.g. one that cannot run offline) prints its name, which says why.
    const base = !r.baselineName
      ? '—'
      : r.baseline == null
        ? r.baselineName
        : `${r.baselineName}: ${fmt(r.baseline)} ${r.unit}`;
    const met = r.meetsGoal === null ? 'n/a' : r.meetsGoal ? 'yes' : 'NO';
    console.log(
      `| ${r.row} | ${r.figure} (${r.unit}) | ${r.goal} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${r.runs} | ${base} | ${r.ratio == null ? '—' : r.ratio.toFixed(2) + '×'} | ${met}${r.note ? ` — ${r.note}` : ''} |`,
    );
  }
}

export function saveJson(path: string, meta: Record<string, unknown>, rows: BenchRow[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ ...meta, rows }, null, 2) + '\n');
}
