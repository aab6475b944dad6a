// The records place's state for a screen mounted alone: a RecordsState over a test database, handed
// in through context the way the shell provides it (state/context.ts).
import type { SotayDB } from '../../../src/app/db/database.ts';
import { VaultAccess, vaultSlot } from '../../../src/app/state/capture.svelte.ts';
import { contextOf } from '../../../src/app/state/context.ts';
import { recordsSlot, type RecordsSource } from '../../../src/app/state/records-slot.ts';
import { RecordsState } from '../../../src/app/state/records.svelte.ts';
import type { SessionUser, TeamMember } from '../../../src/shared/index.ts';
import { USER } from './fake-server.ts';

export const TOKEN = 'token-0123456789abcdef';

export const LEAD: SessionUser = {
  ...USER,
  id: 'u-lead',
  username: 'demo-lead',
  displayName: 'Lê Thị Tổ Trưởng',
  role: 'lead',
};

/** A RecordsState signed in as `user` (the volunteer USER by default), with optional team names. */
export function recordsState(
  db: SotayDB,
  opts: Partial<Omit<RecordsSource, 'db' | 'session' | 'state'>> & {
    user?: SessionUser;
    team?: TeamMember[];
  } = {},
): RecordsState {
  const { user = USER, team, ...deps } = opts;
  return new RecordsState({
    db,
    session: () => ({ user, token: TOKEN, ...(team ? { team } : {}) }),
    ...deps,
  });
}

/** The `context` map for `render`, holding `state` (or a fresh one over `db`) and, as the shell
 *  does, the vault the editor's contact section opens. */
export function recordsContext(state: RecordsState): Map<symbol, unknown>;
export function recordsContext(db: SotayDB): Map<symbol, unknown>;
export function recordsContext(x: RecordsState | SotayDB): Map<symbol, unknown> {
  const source = (x instanceof RecordsState ? x : recordsState(x)).source;
  return contextOf(recordsSlot.entry(source), vaultSlot.entry(new VaultAccess(() => source.db)));
}
