// The demo commune for `npm run demo`: a fictional commune, hamlets, teams and accounts with the
// password "demo". Only ever written into an empty database, and only in demo mode.
import {
  ATTENDANCE_CELLS,
  DEFAULT_SESSION_TOPICS,
  REVIEW_STATES,
  localDay,
  newId,
  type AttendanceCell,
  type GroupSession,
  type Role,
} from '../shared/index.ts';
import { hashPassword } from './auth/password.ts';
import { insertRecordsInTx, type BulkRecord } from './reporting/seed-bulk.ts';
import { prng, syntheticRecords } from './reporting/synthetic.ts';
import type { FieldMetaMap, SessionRow, Store, Tx } from './store/store.ts';

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

/** More made-up volunteers, for a lively demo; they cannot log in (no password). */
export const DEMO_EXTRA_VOLUNTEERS = [
  { username: 'demo-tnv3', displayName: 'Đỗ Thị Giang (demo)', teamId: 'team-1' },
  { username: 'demo-tnv4', displayName: 'Vũ Văn Hải (demo)', teamId: 'team-1' },
  { username: 'demo-tnv5', displayName: 'Bùi Thị Khánh (demo)', teamId: 'team-2' },
  { username: 'demo-tnv6', displayName: 'Đặng Văn Long (demo)', teamId: 'team-2' },
  { username: 'demo-tnv7', displayName: 'Ngô Thị Mai (demo)', teamId: 'team-2' },
] as const;

/** Records the demo generates: about three months' worth across every volunteer. */
export const DEMO_RECORD_COUNT = 4500;

/** Weeks of group sessions the demo generates; each team holds two a week. */
export const DEMO_SESSION_WEEKS = 8;
export const DEMO_SESSION_COUNT = DEMO_SESSION_WEEKS * 2 * DEMO_TEAMS.length;

export interface SeedDemoOptions {
  /**
   * Also generate activity: extra volunteers, ~three months of records, this quarter's targets,
   * reviews, and a few weeks of group sessions.
   */
  activity?: boolean;
  /** "Today" for the generated activity (default: the server's local day). */
  today?: string;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The calendar quarter holding `day`: [first day, last day]. */
export function quarterOf(day: string): { from: string; to: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const q = Math.floor((m - 1) / 3);
  const from = `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(y, q * 3 + 3, 0)).toISOString().slice(0, 10);
  return { from, to: end };
}

interface DemoWriter {
  id: string;
  teamId: string;
  displayName: string;
}

/**
 * A few weeks of group sessions: each team two a week, across the hamlets and every default topic
 * ("Ứng dụng AI" included), a made-up head count and no attendee named; some reviewed by the lead.
 */
async function seedSessions(tx: Tx, writers: readonly DemoWriter[], today: string): Promise<void> {
  const rand = prng(20261207);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const planned: { session: GroupSession; writer: DemoWriter }[] = [];
  let n = 0;
  for (let week = DEMO_SESSION_WEEKS - 1; week >= 0; week -= 1)
    for (const team of DEMO_TEAMS)
      for (const slot of [0, 1]) {
        const members = writers.filter((w) => w.teamId === team.id);
        const writer = pick(members);
        const hamlet = DEMO_HAMLETS[n % DEMO_HAMLETS.length] ?? DEMO_HAMLETS[0];
        const topic = DEFAULT_SESSION_TOPICS[n % DEFAULT_SESSION_TOPICS.length] ?? DEFAULT_SESSION_TOPICS[0];
        n += 1;
        const attendance: Partial<Record<AttendanceCell, number>> = {};
        for (const cell of ATTENDANCE_CELLS) if (rand() < 0.6) attendance[cell] = 1 + Math.floor(rand() * 9);
        attendance['female:60_plus'] = (attendance['female:60_plus'] ?? 0) + 3;
        const others = members.filter((m) => m.id !== writer.id);
        const other = others.length > 0 ? pick(others) : null;
        const session: GroupSession = {
          id: newId(),
          // Two days of each week before today, never after it.
          heldOn: addDays(today, -(week * 7 + (slot === 0 ? 4 : 1))),
          hamletId: hamlet.id,
          place: `Nhà văn hóa ${hamlet.name}`,
          topic: topic.code,
          attendance,
          facilitators: other ? [writer.displayName, other.displayName] : [writer.displayName],
          ...(rand() < 0.3 ? { note: 'Người dân hỏi thêm, hẹn buổi sau hướng dẫn tiếp.' } : {}),
        };
        planned.push({ session, writer });
      }
  const last = await tx.reserveVersions(planned.length);
  const first = last - planned.length + 1;
  const rows: SessionRow[] = planned.map(({ session, writer }, i) => {
    const version = first + i;
    const fieldMeta: FieldMetaMap = {};
    for (const k of Object.keys(session)) fieldMeta[k] = { v: version, by: writer.id, role: 'volunteer' };
    const at = `${session.heldOn}T10:00:00.000Z`;
    return {
      id: session.id,
      communeCode: DEMO_COMMUNE.code,
      teamId: writer.teamId,
      volunteerId: writer.id,
      version,
      deleted: false,
      data: session,
      fieldMeta,
      createdAt: at,
      updatedAt: at,
    };
  });
  await tx.putSessions(rows);
  // The lead of team 1 has reviewed part of the team's sessions, as a real lead would.
  const lead = await tx.findUserByUsername('demo-lead');
  if (!lead) return;
  const reviewed = rows.filter((r) => r.teamId === lead.teamId).slice(0, 6);
  const verdicts: { state: string; comment: string | null }[] = [
    { state: 'approved', comment: null },
    { state: 'approved', comment: null },
    { state: 'received', comment: null },
    { state: 'has_issues', comment: 'Kiểm tra lại số người tham dự giúp tổ nhé.' },
    { state: 'approved', comment: null },
    { state: 'rejected', comment: 'Trùng với buổi đã ghi.' },
  ];
  const top = await tx.reserveVersions(reviewed.length);
  for (const [i, r] of reviewed.entries()) {
    const v = verdicts[i] ?? { state: 'approved', comment: null };
    await tx.setSessionReview({
      recordId: r.id,
      version: top - reviewed.length + 1 + i,
      state: v.state,
      comment: v.comment,
      userId: lead.id,
      at: r.updatedAt,
    });
  }
}

async function seedActivity(tx: Tx, volunteers: DemoWriter[], today: string): Promise<void> {
  const from = addDays(today, -91);
  const records: BulkRecord[] = [
    ...syntheticRecords(DEMO_RECORD_COUNT, {
      communeCode: DEMO_COMMUNE.code,
      hamletIds: DEMO_HAMLETS.map((h) => h.id),
      volunteers,
      from,
      days: 92,
      seed: 20261128,
      citizens: 2600,
    }),
  ];
  // Some reviews: most untouched, a few received, approved, with issues or rejected.
  const rand = prng(7);
  for (const r of records) {
    const x = rand();
    if (x < 0.35) {
      const state = REVIEW_STATES[Math.floor(rand() * REVIEW_STATES.length)] ?? 'received';
      r.reviewState = state;
      if (state === 'has_issues') r.reviewComment = 'Kiểm tra lại thôn/ấp và kết quả giúp tổ nhé.';
      if (state === 'rejected') r.reviewComment = 'Trùng với bản ghi khác.';
    }
  }
  await insertRecordsInTx(tx, records);
  const admin = await tx.findUserByUsername('demo-admin');
  const quarter = quarterOf(today);
  const none = { hamletId: null, teamId: null };
  const targets = [
    { ...none, category: 'vneid_l2', outcome: 'done', target: 1500, label: 'VNeID mức 2 hoàn thành' },
    { ...none, category: 'online_filing', outcome: null, target: 900, label: 'Nộp hồ sơ trực tuyến' },
    {
      ...none,
      category: 'can_cuoc',
      outcome: null,
      hamletId: 'thon-dong',
      target: 200,
      label: 'Căn cước, thôn Đông',
    },
    { ...none, category: 'digital_skills', outcome: null, target: 300, label: null },
    {
      ...none,
      category: 'vneid_l2',
      outcome: 'done',
      teamId: 'team-1',
      target: 800,
      label: 'VNeID mức 2, Tổ CNS số 1',
    },
    // Group sessions have targets of their own (docs/group-sessions.md, "Counting").
    { ...none, category: 'group_sessions', outcome: null, target: 40, label: 'Buổi sinh hoạt nhóm' },
    { ...none, category: 'group_attendees', outcome: null, target: 1200, label: 'Lượt người tham dự' },
  ];
  const at = new Date().toISOString();
  for (const t of targets)
    await tx.putTarget(
      { id: newId(), communeCode: DEMO_COMMUNE.code, period: quarter, ...t },
      admin?.id ?? 'demo',
      at,
    );
  await seedSessions(tx, volunteers, today);
}

/** Seed the demo commune. Returns false (and writes nothing) unless the database is empty. */
export async function seedDemo(store: Store, options: SeedDemoOptions = {}): Promise<boolean> {
  if (!(await store.isEmpty())) return false;
  // Hash before the transaction: scrypt is slow and the write lock should not wait for it.
  // In parallel: scrypt runs on libuv's thread pool.
  const hashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(DEMO_PASSWORD)));
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
    const writers: DemoWriter[] = [];
    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      const id = newId();
      if ((a.role === 'volunteer' || a.role === 'lead') && a.teamId)
        writers.push({ id, teamId: a.teamId, displayName: a.displayName });
      await tx.insertUser({
        id,
        username: a.username,
        displayName: a.displayName,
        passwordHash: hashes[i] ?? '',
        role: a.role,
        communeCode: DEMO_COMMUNE.code,
        teamId: a.teamId,
        active: true,
      });
    }
    if (options.activity) {
      for (const v of DEMO_EXTRA_VOLUNTEERS) {
        const id = newId();
        writers.push({ id, teamId: v.teamId, displayName: v.displayName });
        await tx.insertUser({
          id,
          username: v.username,
          displayName: v.displayName,
          passwordHash: '!',
          role: 'volunteer',
          communeCode: DEMO_COMMUNE.code,
          teamId: v.teamId,
          active: true,
        });
      }
      await seedActivity(tx, writers, options.today ?? localDay());
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
