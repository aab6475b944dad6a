// The records place's context slot and what the shell provides in it: the parts RecordsState is
// built from. Kept apart from the class (records.svelte.ts) so the first load carries only this;
// the first records screen mounted builds the state (useRecords) and keeps it for the source, so
// every screen after it shares the same filters.
import type { SessionUser, TeamMember } from '../../shared/index.ts';
import type { SotayDB } from '../db/database.ts';
import { contextSlot } from './context.ts';

export interface RecordsSource {
  db: SotayDB;
  /** The signed-in session as stored (user, token, a lead's team members). */
  session: () => { user: SessionUser; token: string; team?: TeamMember[] } | null;
  /** Injected in tests; the browser's fetch otherwise (the lead's review goes online). */
  fetch?: typeof fetch;
  isOnline?: () => boolean;
  /** Today as YYYY-MM-DD (follow-ups due or overdue); the local day otherwise. */
  today?: () => string;
}

export const recordsSlot = contextSlot<RecordsSource>('records');
