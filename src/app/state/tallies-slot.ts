// The tallies place's context slot and what the shell provides in it: the parts TalliesState is
// built from. Kept apart from the class (tallies.ts) so the first load carries only this; the
// tallies screen builds the state (useTallies) and keeps it for the source, so its held answer
// outlives the screen's mounts.
import type { SotayDB } from '../db/database.ts';
import { contextSlot } from './context.ts';

export interface TalliesSource {
  db: SotayDB;
}

export const talliesSlot = contextSlot<TalliesSource>('tallies');
