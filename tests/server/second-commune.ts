// A second commune on the same database, for the two-commune isolation tests: hamlets, teams and
// one account of each role (password "demo"), written through the store's transaction like the demo
// seed. Made-up names only. The operator CLI's `--add-commune` can replace it once it exists.
import { newId, type Role } from '../../src/shared/index.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { DEMO_PASSWORD } from '../../src/server/demo.ts';
import type { Store } from '../../src/server/store/store.ts';

export interface SecondCommuneAccount {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  teamId: string | null;
}

export interface SecondCommune {
  code: string;
  name: string;
  hamlets: { id: string; name: string }[];
  teams: { id: string; name: string }[];
  /** volunteer and lead of the first team, a volunteer of the second, the supervisor, the admin. */
  accounts: Record<'volunteer' | 'volunteer2' | 'lead' | 'supervisor' | 'admin', SecondCommuneAccount>;
}

/**
 * Seeds commune `code` beside whatever the database holds. Ids and names start with `prefix`, so
 * they never collide with (nor contain) the demo commune's.
 */
export async function seedSecondCommune(store: Store, code = '99002', prefix = 'xb'): Promise<SecondCommune> {
  const hamlets = [
    { id: `${prefix}-ap-mot`, name: `Ấp Một ${prefix.toUpperCase()}` },
    { id: `${prefix}-ap-hai`, name: `Ấp Hai ${prefix.toUpperCase()}` },
  ];
  const teams = [
    { id: `${prefix}-to-mot`, name: `Tổ số một ${prefix.toUpperCase()}` },
    { id: `${prefix}-to-hai`, name: `Tổ số hai ${prefix.toUpperCase()}` },
  ];
  const first = teams[0]?.id ?? null;
  const second = teams[1]?.id ?? null;
  const account = (key: string, role: Role, teamId: string | null, name: string): SecondCommuneAccount => ({
    id: newId(),
    username: `${prefix}-${key}`,
    displayName: `${name} (xã ${prefix.toUpperCase()})`,
    role,
    teamId,
  });
  const accounts: SecondCommune['accounts'] = {
    volunteer: account('tnv', 'volunteer', first, 'Tình nguyện viên Một'),
    volunteer2: account('tnv2', 'volunteer', second, 'Tình nguyện viên Hai'),
    lead: account('lead', 'lead', first, 'Tổ trưởng Một'),
    supervisor: account('gs', 'supervisor', null, 'Giám sát'),
    admin: account('admin', 'admin', null, 'Quản trị'),
  };
  const name = `Xã thử ${prefix.toUpperCase()} (test)`;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await store.transaction(async (tx) => {
    await tx.insertCommune(code, name);
    for (const [i, h] of hamlets.entries())
      await tx.insertHamlet({ id: h.id, communeCode: code, name: h.name, sortOrder: i + 1 });
    for (const t of teams) await tx.insertTeam({ id: t.id, communeCode: code, name: t.name });
    for (const a of Object.values(accounts))
      await tx.insertUser({ ...a, passwordHash, communeCode: code, active: true });
  });
  return { code, name, hamlets, teams, accounts };
}
