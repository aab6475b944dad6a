// Shared set-up of the admin and device tests: a second commune with its own admin and volunteer,
// so scope (another commune's admin) can be tested. Generated names only.
import { hashPassword } from '../../src/server/auth/password.ts';
import type { TestServer } from './harness.ts';

export const OTHER_COMMUNE = '99002';
export const OTHER_PASSWORD = 'khac-mat-khau';

export async function seedOtherCommune(server: TestServer): Promise<void> {
  const passwordHash = await hashPassword(OTHER_PASSWORD);
  await server.store.transaction(async (tx) => {
    await tx.insertCommune(OTHER_COMMUNE, 'Xã Khác (test)');
    await tx.insertTeam({ id: 'other-team', communeCode: OTHER_COMMUNE, name: 'Tổ khác' });
    await tx.insertHamlet({
      id: 'other-hamlet',
      communeCode: OTHER_COMMUNE,
      name: 'Thôn khác',
      sortOrder: 1,
    });
    for (const [id, role, teamId] of [
      ['other-admin', 'admin', null],
      ['other-tnv', 'volunteer', 'other-team'],
    ] as const)
      await tx.insertUser({
        id,
        username: id,
        displayName: `Người thử ${id}`,
        passwordHash,
        role,
        communeCode: OTHER_COMMUNE,
        teamId,
        active: true,
      });
  });
}
