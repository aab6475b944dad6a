// What the kept tab screens decide when shown (state/kept-read.svelte.ts): each show asks
// KeptRead.live, and only a live query it returns can read. Watching that answer shows at once,
// with no wait, that a screen shown again reads nothing.
import { vi } from 'vitest';
import { KeptRead } from '../../../src/app/state/kept-read.svelte.ts';

export interface KeptReads {
  /** The answers to shows (`active` true) since the last `clear()`: a live query, or none. */
  shows(): ('live query' | 'none')[];
  clear(): void;
}

/** Watches every kept screen's KeptRead.live from now on (restored by vi.restoreAllMocks). */
export function watchKeptReads(): KeptReads {
  const live = vi.spyOn(KeptRead.prototype, 'live');
  return {
    shows: () =>
      live.mock.calls.flatMap(([active], i) => {
        if (!active) return [];
        const result = live.mock.results[i];
        return [result?.type === 'return' && result.value === undefined ? 'none' : 'live query'];
      }),
    clear: () => live.mockClear(),
  };
}
