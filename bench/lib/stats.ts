// Small statistics for bench rows: median, min, max, percentiles.
export function median(xs: number[]): number {
  return percentile(xs, 50);
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i] as number;
}

export function summary(xs: number[]): { median: number; min: number; max: number; runs: number } {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length };
}
