// Axis maths for the dashboard's charts: a value axis ending on a round number with a few ticks,
// and which bucket labels to show so they never overlap at the chart's width.

/** The smallest step of the form 1, 2 or 5 × 10^k that is ≥ `raw` (whole numbers: at least 1). */
export function niceStep(raw: number): number {
  if (!(raw > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

export interface ValueAxis {
  /** The axis' end: the largest value rounded up to a whole number of steps (≥ 1). */
  top: number;
  /** 0, step, 2 × step … top. */
  ticks: number[];
}

/** A value axis for counts up to `max` with about `target` steps (never more than target + 1). */
export function valueAxis(max: number, target = 4): ValueAxis {
  const step = niceStep(Math.max(max, 0) / Math.max(target, 1));
  const top = Math.max(step, Math.ceil(Math.max(max, 0) / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return { top, ticks };
}

/** Pixels one label of `chars` characters takes at `fontPx`, with room on each side. */
export function labelWidthPx(chars: number, fontPx = 14): number {
  // A digit or a capital of the UI's sans-serif is about 0.62 em wide; 12 px keeps labels apart.
  return Math.ceil(chars * fontPx * 0.62) + 12;
}

/** Show every `step`-th bucket's label so `count` buckets' labels fit in `widthPx` side by side. */
export function labelStep(count: number, widthPx: number, labelPx: number): number {
  if (count <= 0) return 1;
  const col = widthPx / count;
  const px = Math.max(labelPx, 1);
  // Centres a label apart; and the second label clear of the first, which sits against the edge.
  return Math.max(1, Math.ceil(px / col - 1e-9), Math.ceil((1.5 * px) / col - 0.5 - 1e-9));
}

export interface PlacedLabel {
  index: number;
  /** Left edge and width in % of the chart's width, kept inside 0–100. */
  left: number;
  width: number;
}

/**
 * The labels to draw under `count` equal columns spanning `widthPx`: every `step`-th one from the
 * first, each centred under its column but moved inwards at the edges so none is cut (a label that
 * moving would make touch its neighbour is left out).
 */
export function placeLabels(count: number, widthPx: number, labelPx: number): PlacedLabel[] {
  if (count <= 0 || widthPx <= 0) return [];
  const step = labelStep(count, widthPx, labelPx);
  const w = Math.min(labelPx, widthPx);
  const out: PlacedLabel[] = [];
  for (let i = 0; i < count; i += step) {
    const centre = ((i + 0.5) * widthPx) / count;
    const left = Math.min(Math.max(centre - w / 2, 0), widthPx - w);
    const prev = out.at(-1);
    if (prev && (prev.left / 100) * widthPx + w > left + 1e-6) continue;
    out.push({ index: i, left: (left / widthPx) * 100, width: (w / widthPx) * 100 });
  }
  return out;
}
