// Reporting endpoints for leads, supervisors and admins (docs/reporting.md), one file per resource.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.ts';
import { registerDevices } from './devices.ts';
import { registerExports } from './exports.ts';
import { registerReview } from './review.ts';
import { registerTallies } from './tallies.ts';
import { registerTallyRecords } from './tally-records.ts';
import { registerTargets } from './targets.ts';

export function registerReporting(app: FastifyInstance, store: Store): void {
  registerTallyRecords(app, store);
  registerTallies(app, store);
  registerTargets(app, store);
  registerReview(app, store);
  registerDevices(app, store);
  registerExports(app, store);
}
