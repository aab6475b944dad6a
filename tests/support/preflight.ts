// Vitest global setup every project inherits: before anything starts (a throwaway PostgreSQL, the
// e2e build), the run's random seed and one line when Chromium is missing, each said once however
// many projects run.
import type { TestProject } from 'vitest/node';
import { chromiumMissing } from './chromium.ts';
import { pickSeed } from './seed.ts';

const SAID = Symbol.for('sotay.tests.preflightSaid');
const SEED = Symbol.for('sotay.tests.seed');
type WithSaid = typeof globalThis & { [SAID]?: boolean; [SEED]?: number };

export default function setup(project: TestProject): void {
  const g = globalThis as WithSaid;
  // A missing Chromium is said first, before anything else the run prints.
  if (!g[SAID]) {
    g[SAID] = true;
    // Only a run that includes the browser tests needs Chromium (not `--project unit`).
    const missing = project.vitest.projects.some((p) => p.name === 'e2e') ? chromiumMissing() : null;
    if (missing) console.log(missing);
  }
  // Every project of the run gets the same seed (seed.ts), chosen and printed once.
  if (g[SEED] === undefined) {
    g[SEED] = pickSeed();
    console.log(`fast-check seed: ${g[SEED]} (FC_SEED=${g[SEED]} npm test replays this run)`);
  }
  project.provide('testSeed', g[SEED]);
}
