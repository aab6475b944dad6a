// Who may review a record or group session (docs/reporting.md, "Review"): the pure rule both review
// routes share, over every role, team and commune a reviewer and a row can have.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/shared/index.ts';
import { canRead, canReview, type Actor } from '../../src/server/sync/scope.ts';

const ROLES: Role[] = ['volunteer', 'lead', 'supervisor', 'admin'];

function actor(role: Role, teamId: string | null, communeCode = '99001'): Actor {
  return { id: `u-${role}`, role, communeCode, teamId };
}

function row(teamId: string, communeCode = '99001', volunteerId = 'u-volunteer') {
  return { teamId, communeCode, volunteerId };
}

describe('canReview', () => {
  // [role, reviewer's team, row's team, same commune, allowed]
  const table: [Role, string | null, string, boolean, boolean][] = [
    ['volunteer', 'team-1', 'team-1', true, false],
    ['volunteer', 'team-1', 'team-2', true, false],
    ['volunteer', null, 'team-1', true, false],
    ['lead', 'team-1', 'team-1', true, true],
    ['lead', 'team-1', 'team-2', true, false],
    ['lead', 'team-2', 'team-2', true, true],
    ['lead', null, 'team-1', true, false],
    ['lead', 'team-1', 'team-1', false, false],
    ['supervisor', null, 'team-1', true, true],
    ['admin', 'team-1', 'team-1', true, true],
    ['supervisor', 'team-1', 'team-2', true, true],
    ['supervisor', null, 'team-1', false, false],
    ['admin', null, 'team-2', true, true],
    ['admin', 'team-1', 'team-2', true, true],
    ['admin', null, 'team-1', false, false],
  ];

  it.each(table)('%s of %s, row of %s, same commune %s → %s', (role, own, rowTeam, same, allowed) => {
    expect(canReview(actor(role, own), row(rowTeam, same ? '99001' : '99002'))).toBe(allowed);
  });

  const arbitraryCase = fc.record({
    role: fc.constantFrom(...ROLES),
    own: fc.constantFrom<string | null>(null, 'team-1', 'team-2'),
    rowTeam: fc.constantFrom('team-1', 'team-2'),
    commune: fc.constantFrom('99001', '99002'),
    rowCommune: fc.constantFrom('99001', '99002'),
    ownRow: fc.boolean(),
  });

  it('never reaches across communes, and a volunteer reviews nothing, not even their own', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const a = actor(c.role, c.own, c.commune);
        const r = row(c.rowTeam, c.rowCommune, c.ownRow ? a.id : 'someone-else');
        if (c.commune !== c.rowCommune || c.role === 'volunteer') expect(canReview(a, r)).toBe(false);
      }),
    );
  });

  it('lets a lead, supervisor or admin review exactly the rows they may read', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        if (c.role === 'volunteer') return;
        const a = actor(c.role, c.own, c.commune);
        const r = row(c.rowTeam, c.rowCommune);
        expect(canReview(a, r)).toBe(canRead(a, r));
      }),
    );
  });
});
