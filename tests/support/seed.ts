// One seed per test run for everything random in the tests: fast-check properties (seeded.ts sets
// it globally) and generated data (testRandom). preflight.ts picks it (FC_SEED, or a fresh one),
// prints it once and hands it to every project, so `FC_SEED=N npm test` replays a failing run.
import { relative } from 'node:path';
import { expect, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's seed: FC_SEED when set, else a fresh one (printed at the start of the run). */
    testSeed: number;
  }
}

/** Mulberry32: a tiny seeded PRNG so generated data is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FC_SEED when it is a whole number, else a fresh 32-bit seed. */
export function pickSeed(env: string | undefined = process.env.FC_SEED): number {
  const given = env === undefined || env.trim() === '' ? NaN : Number(env);
  if (Number.isSafeInteger(given)) return given | 0;
  return (Date.now() ^ (process.pid << 16)) | 0;
}

/** The run's seed (inside a test file; the global setup provides it). */
export function testSeed(): number {
  return inject('testSeed');
}

let stream: (() => number) | undefined;

/** FNV-1a of a text: mixes the test file's name into its stream. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A number in [0, 1) from this test file's stream: the run's seed mixed with the file's path in
 * the repository, so two files do not make the same data and a replay makes the same again.
 */
export function testRandom(): number {
  stream ??= rng(testSeed() ^ hash(relative(process.cwd(), expect.getState().testPath ?? '')));
  return stream();
}
