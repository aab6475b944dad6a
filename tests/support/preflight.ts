// Vitest global setup every project inherits: before anything starts (a throwaway PostgreSQL, the
// e2e build), one line when Chromium is missing, said once however many projects run.
import type { TestProject } from 'vitest/node';
import { chromiumMissing } from './chromium.ts';

const SAID = Symbol.for('sotay.tests.preflightSaid');
type WithSaid = typeof globalThis & { [SAID]?: boolean };

export default function setup(project: TestProject): void {
  const g = globalThis as WithSaid;
  if (g[SAID]) return;
  g[SAID] = true;
  // Only a run that includes the browser tests needs Chromium (not `--project unit`).
  if (!project.vitest.projects.some((p) => p.name === 'e2e')) return;
  const missing = chromiumMissing();
  if (missing) console.log(missing);
}
