// The demo commune for `npm run demo`: a fictional commune, hamlets, teams and accounts with the
// password "demo". Only ever written into an empty database, and only in demo mode.
import { newId, type Role } from '../shared/index.ts';
import { hashPassword } from './auth/password.ts';
import type { Store } from './store/store.ts';

export const DEMO_PASSWORD = 'demo';
export const DEMO_COMMUNE = { code: '99001', name: 'Xã Thanh Bình (demo)' } as const;

export const DEMO_HAMLETS = [
  { id: 'thon-dong', name: 'Thôn Đông' },
  { id: 'thon-tay', name: 'Thôn Tây' },
  { id: 'thon-nam', name: 'Thôn Nam' },
  { id: 'thon-bac', name: 'Thôn Bắc' },
] as const;

export const DEMO_TEAMS = [
  { id: 'team-1', name: 'Tổ CNS số 1' },
  { id: 'team-2', name: 'Tổ CNS số 2' },
] as const;

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  teamId: string | null;
}

/** Names are made up for the demo; no real person's data. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'demo-tnv', displayName: 'Nguyễn Văn An (demo)', role: 'volunteer', teamId: 'team-1' },
  { username: 'demo-tnv2', displayName: 'Trần Thị Bình (demo)', role: 'volunteer', teamId: 'team-2' },
  { username: 'demo-lead', displayName: 'Lê Văn Cường (demo)', role: 'lead', teamId: 'team-1' },
  { username: 'demo-gs', displayName: 'Phạm Thị Dung (demo)', role: 'supervisor', teamId: null },
  { username: 'demo-admin', displayName: 'Hoàng Văn Em (demo)', role: 'admin', teamId: null },
];

const ROLE_VI: Record<Role, string> = {
  volunteer: 'tình nguyện viên',
  lead: 'tổ trưởng',
  supervisor: 'giám sát',
  admin: 'quản trị',
};

/** Seed the demo commune. Returns false (and writes nothing) unless the database is empty. */
export async function seedDemo(store: Store): Promise<boolean> {
  if (!(await store.isEmpty())) return false;
  // Hash before the transaction: scrypt is slow and the write lock should not wait for it.
  const hashes: string[] = [];
  for (const _account of DEMO_ACCOUNTS) hashes.push(await hashPassword(DEMO_PASSWORD));
  return store.transaction(async (tx) => {
    // Checked again under the write lock: two processes starting at once seed once.
    if (
      (await tx.findUserByUsername(DEMO_ACCOUNTS[0]?.username ?? '')) ||
      (await tx.getCommune(DEMO_COMMUNE.code))
    )
      return false;
    await tx.insertCommune(DEMO_COMMUNE.code, DEMO_COMMUNE.name);
    for (const [i, h] of DEMO_HAMLETS.entries())
      await tx.insertHamlet({ id: h.id, communeCode: DEMO_COMMUNE.code, name: h.name, sortOrder: i + 1 });
    for (const t of DEMO_TEAMS)
      await tx.insertTeam({ id: t.id, communeCode: DEMO_COMMUNE.code, name: t.name });
    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      await tx.insertUser({
        id: newId(),
        username: a.username,
        displayName: a.displayName,
        passwordHash: hashes[i] ?? '',
        role: a.role,
        communeCode: DEMO_COMMUNE.code,
        teamId: a.teamId,
        active: true,
      });
    }
    return true;
  });
}

/** The lines printed at a demo start; the accounts only when they exist in this database. */
export async function demoBanner(store: Store, seeded: boolean): Promise<string[]> {
  const teamName = (id: string | null): string => DEMO_TEAMS.find((t) => t.id === id)?.name ?? '—';
  const lines = [
    seeded
      ? `Đã tạo dữ liệu demo: ${DEMO_COMMUNE.name} (mã ${DEMO_COMMUNE.code}).`
      : 'Cơ sở dữ liệu đã có dữ liệu: không tạo thêm dữ liệu demo.',
  ];
  const present: DemoAccount[] = [];
  for (const a of DEMO_ACCOUNTS) if (await store.findUserByUsername(a.username)) present.push(a);
  if (present.length === 0) return lines;
  lines.push(`Tài khoản demo (mật khẩu "${DEMO_PASSWORD}"):`);
  for (const a of present)
    lines.push(`  ${a.username.padEnd(11)} ${ROLE_VI[a.role]}${a.teamId ? `, ${teamName(a.teamId)}` : ''}`);
  return lines;
}
