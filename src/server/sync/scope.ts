// Who may read and write which records, and the pull scope that follows from it. Pure: the rules
// of sync-protocol.md in one place, so push, pull and the records endpoint cannot drift apart.
import { createHash } from 'node:crypto';
import type { Role } from '../../shared/index.ts';
import type { PullScope, RecordRow } from '../store/store.ts';

export interface Actor {
  id: string;
  role: Role;
  communeCode: string;
  teamId: string | null;
}

type Owned = Pick<RecordRow, 'volunteerId' | 'teamId' | 'communeCode'>;

/** Volunteers and leads write through sync; supervisors and admins have their own endpoints. */
export function writesThroughSync(actor: Actor): boolean {
  return (actor.role === 'volunteer' || actor.role === 'lead') && actor.teamId !== null;
}

export function canWrite(actor: Actor, row: Owned): boolean {
  if (row.communeCode !== actor.communeCode) return false;
  if (actor.role === 'volunteer') return row.volunteerId === actor.id;
  if (actor.role === 'lead') return actor.teamId !== null && row.teamId === actor.teamId;
  return false;
}

/**
 * Who may review a record or group session (docs/reporting.md, "Review"): a lead their team's, a
 * supervisor or admin the commune's; a volunteer never, not even their own.
 */
export function canReview(actor: Actor, row: Pick<Owned, 'teamId' | 'communeCode'>): boolean {
  if (row.communeCode !== actor.communeCode) return false;
  switch (actor.role) {
    case 'volunteer':
      return false;
    case 'lead':
      return actor.teamId !== null && row.teamId === actor.teamId;
    case 'supervisor':
    case 'admin':
      return true;
  }
}

export function canRead(actor: Actor, row: Owned): boolean {
  if (row.communeCode !== actor.communeCode) return false;
  switch (actor.role) {
    case 'volunteer':
      return row.volunteerId === actor.id || (actor.teamId !== null && row.teamId === actor.teamId);
    case 'lead':
      return actor.teamId !== null && row.teamId === actor.teamId;
    case 'supervisor':
    case 'admin':
      return true;
  }
}

export function pullScope(actor: Actor): PullScope {
  switch (actor.role) {
    case 'volunteer':
      return { kind: 'volunteer', userId: actor.id, teamId: actor.teamId };
    case 'lead':
      // A lead without a team sees only what they wrote themselves (nothing, in practice).
      return actor.teamId !== null
        ? { kind: 'team', teamId: actor.teamId }
        : { kind: 'volunteer', userId: actor.id, teamId: null };
    case 'supervisor':
    case 'admin':
      return { kind: 'commune', communeCode: actor.communeCode };
  }
}

/**
 * A short fingerprint of everything that decides the pull scope. A cursor carries it; when the
 * caller's scope changes (moved team, new role) the old cursor no longer matches and pull resets.
 */
export function scopeKey(actor: Actor): string {
  const parts = [actor.id, actor.role, actor.teamId ?? '-', actor.communeCode].join('|');
  return createHash('sha256').update(parts, 'utf8').digest('base64url').slice(0, 16);
}
