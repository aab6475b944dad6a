// The commune's report (docs/reporting.md, "The report"): one ReportSummary per period and view,
// made of the store's tallies. `loadReportInputs` makes the calls; `shapeReport` is pure, so every
// identity the screen and the printout rely on (a figure shown twice is the same) can be unit tested.
import {
  CATEGORIES,
  DEFAULT_REPORT_SETTINGS,
  DE_AN_06_CATEGORIES,
  FAIL_REASONS,
  OUTCOMES,
  ReportSettings,
  SERVICE_CATALOGUE,
  communeDay,
  formatProgressVi,
  isSessionTarget,
  percentOf,
  type Compared,
  type PeriodFigures,
  type ReportPeriod,
  type ReportScope,
  type ReportSummary,
  type ReportTarget,
  type ReportTeamRow,
  type ReportView,
  type ReportVolunteerRow,
  type TallyDimension,
  type TallyResponse,
  type TallyRow,
  type ReportSessionGroup,
  type ReportSessions,
  type SessionTopic,
  topicsOrDefault,
} from '../../shared/index.ts';
import type { PullScope, ReportFilter, SessionReportRow, Store, TargetRow, UserRow } from '../store/store.ts';
import { sessionTargetAchieved, tallySessions } from './sessions.ts';
import { targetFilter } from './targets.ts';

// ── periods ──

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysIn(period: ReportPeriod): number {
  return (
    Math.round((Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000) +
    1
  );
}

/** The same calendar day a year earlier; 29 February becomes 28 February. */
export function yearBefore(day: string): string {
  const [y, m, d] = day.split('-') as [string, string, string];
  const prev = `${String(Number(y) - 1).padStart(4, '0')}-${m}-${d}`;
  return m === '02' && d === '29' ? `${prev.slice(0, 8)}28` : prev;
}

/** The period, the one of the same length just before it, and the same days a year earlier. */
export function reportPeriods(period: ReportPeriod): {
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  lastYearPeriod: ReportPeriod;
} {
  const n = daysIn(period);
  return {
    period: { from: period.from, to: period.to },
    previousPeriod: { from: addDays(period.from, -n), to: addDays(period.from, -1) },
    lastYearPeriod: { from: yearBefore(period.from), to: yearBefore(period.to) },
  };
}

/** The commune's today when the period is not over yet (the figures may still grow); else null. */
export function asOfDay(to: string, now: Date): string | null {
  const today = communeDay(now);
  return to >= today ? today : null;
}

// ── what the summary is made of ──

/** Tallies of one earlier period (previous, or last year): the comparisons. */
export interface ComparedTallies {
  /** groupBy category: its total is the period's totals. */
  categories: TallyResponse;
  services: TallyResponse;
  outcomes: TallyResponse;
  teams: TallyResponse;
}

/** Tallies of the report's own period. */
export interface CurrentTallies {
  /** groupBy hamlet, category: its total is the period's totals. */
  hamletCategory: TallyResponse;
  /** groupBy service, paidOnline. */
  servicePaid: TallyResponse;
  outcomes: TallyResponse;
  failReasons: TallyResponse;
  /** groupBy team: counts and exact citizens per team. */
  teams: TallyResponse;
  /** groupBy team, volunteer, day: active volunteers and active days. */
  teamVolunteerDay: TallyResponse;
  /** groupBy volunteer: counts and exact citizens per volunteer. */
  volunteers: TallyResponse;
}

export interface ReportInputs {
  view: ReportView;
  scope: ReportScope;
  periods: ReturnType<typeof reportPeriods>;
  asOf: string | null;
  generatedAt: string;
  /** Every hamlet of the commune in its order, retired ones flagged. */
  hamlets: { id: string; name: string; active: boolean }[];
  /** The teams in scope (a lead: the team; others: every team of the commune). */
  teams: { id: string; name: string }[];
  /** Every team of the commune, to name a target's or a volunteer's team. */
  teamNames: Map<string, string>;
  /** The commune's people: names and current teams. */
  people: Map<string, { name: string; teamId: string | null }>;
  current: CurrentTallies;
  previous: ComparedTallies;
  lastYear: ComparedTallies;
  /** Targets to show, each with its progress counted in its own scope. */
  targets: { target: TargetRow; achieved: number }[];
  communeCode: string;
  /** The stored settings (unchecked JSON), or null. */
  settings: unknown;
  /** Live group sessions of the scope in each period, and the commune's topic list. */
  sessions?: {
    current: SessionReportRow[];
    previous: SessionReportRow[];
    lastYear: SessionReportRow[];
    topics: SessionTopic[];
  };
}

// ── the pure part ──

const keyOf = (row: TallyRow, dim: TallyDimension): string | null => {
  const v = (row.key as Record<string, unknown>)[dim];
  return v === undefined || v === null ? null : String(v);
};

/** Sum of counts per value of one dimension. */
function countsBy(t: TallyResponse, dim: TallyDimension): Map<string | null, number> {
  const out = new Map<string | null, number>();
  for (const r of t.rows) out.set(keyOf(r, dim), (out.get(keyOf(r, dim)) ?? 0) + r.count);
  return out;
}

function figures(t: TallyResponse): PeriodFigures {
  return { count: t.total.count, citizens: t.total.citizens, rejected: t.rejected };
}

const UNKNOWN_PERSON = 'Không rõ tên';

/**
 * Stored settings, checked field by field: a field a later version dropped is ignored, one it added
 * or one no longer valid takes its default.
 */
export function readSettings(stored: unknown): ReportSettings {
  const out: ReportSettings = { ...DEFAULT_REPORT_SETTINGS };
  if (typeof stored !== 'object' || stored === null) return out;
  const given = stored as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_REPORT_SETTINGS) as (keyof ReportSettings)[]) {
    if (!(key in given)) continue;
    const one = ReportSettings.safeParse({ ...DEFAULT_REPORT_SETTINGS, [key]: given[key] });
    if (one.success) Object.assign(out, { [key]: one.data[key] });
  }
  return out;
}

/** 1 for the most records; equal counts share a rank (1, 2, 2, 4). */
export function rankVolunteers(rows: Omit<ReportVolunteerRow, 'rank'>[]): ReportVolunteerRow[] {
  const sorted = [...rows].sort(
    (a, b) =>
      b.count - a.count || a.name.localeCompare(b.name, 'vi') || a.volunteerId.localeCompare(b.volunteerId),
  );
  let rank = 0;
  let last = Number.NaN;
  return sorted.map((r, i) => {
    if (r.count !== last) {
      rank = i + 1;
      last = r.count;
    }
    return { ...r, rank };
  });
}

function volunteerRows(i: ReportInputs): ReportVolunteerRow[] {
  const c = i.current;
  const citizens = new Map(c.volunteers.rows.map((r) => [keyOf(r, 'volunteer'), r.citizens]));
  const counts = countsBy(c.volunteers, 'volunteer');
  // Per volunteer: the days with a counted record, and records per team (a volunteer who moved
  // teams within the period is listed under the team of most of their records).
  const days = new Map<string, Set<string>>();
  const perTeam = new Map<string, Map<string, number>>();
  for (const r of c.teamVolunteerDay.rows) {
    const v = keyOf(r, 'volunteer');
    const team = keyOf(r, 'team');
    const day = keyOf(r, 'day');
    if (v === null || r.count === 0) continue;
    if (day !== null) (days.get(v) ?? days.set(v, new Set()).get(v))?.add(day);
    if (team !== null) {
      const m = perTeam.get(v) ?? perTeam.set(v, new Map()).get(v);
      m?.set(team, (m.get(team) ?? 0) + r.count);
    }
  }
  const rows: Omit<ReportVolunteerRow, 'rank'>[] = [];
  for (const [id, count] of counts) {
    if (id === null || count === 0) continue;
    const person = i.people.get(id);
    const teams = [...(perTeam.get(id) ?? new Map<string, number>())].sort(
      (a, b) => b[1] - a[1] || (a[0] === person?.teamId ? -1 : b[0] === person?.teamId ? 1 : 0),
    );
    const teamId = teams[0]?.[0] ?? person?.teamId ?? null;
    const activeDays = days.get(id)?.size ?? 0;
    rows.push({
      volunteerId: id,
      name: person?.name ?? UNKNOWN_PERSON,
      teamId,
      teamName: teamId === null ? null : (i.teamNames.get(teamId) ?? null),
      count,
      citizens: citizens.get(id) ?? 0,
      activeDays,
      perActiveDay: activeDays > 0 ? count / activeDays : 0,
    });
  }
  return rankVolunteers(rows);
}

function teamRows(i: ReportInputs): ReportTeamRow[] {
  const cur = countsBy(i.current.teams, 'team');
  const prev = countsBy(i.previous.teams, 'team');
  const last = countsBy(i.lastYear.teams, 'team');
  const citizens = new Map(i.current.teams.rows.map((r) => [keyOf(r, 'team'), r.citizens]));
  const active = new Map<string, Set<string>>();
  for (const r of i.current.teamVolunteerDay.rows) {
    const team = keyOf(r, 'team');
    const v = keyOf(r, 'volunteer');
    if (team !== null && v !== null && r.count > 0)
      (active.get(team) ?? active.set(team, new Set()).get(team))?.add(v);
  }
  // Every team in scope, and any other team the records name (a team since renamed away).
  const ids = [...i.teams.map((t) => t.id)];
  for (const id of cur.keys()) if (id !== null && !ids.includes(id)) ids.push(id);
  return ids
    .map((id) => ({
      teamId: id,
      name: i.teamNames.get(id) ?? i.teams.find((t) => t.id === id)?.name ?? UNKNOWN_PERSON,
      count: { current: cur.get(id) ?? 0, previous: prev.get(id) ?? 0, lastYear: last.get(id) ?? 0 },
      citizens: citizens.get(id) ?? 0,
      activeVolunteers: active.get(id)?.size ?? 0,
    }))
    .sort((a, b) => b.count.current - a.count.current || a.name.localeCompare(b.name, 'vi'));
}

function targetRows(i: ReportInputs): ReportTarget[] {
  const hamletName = new Map(i.hamlets.map((h) => [h.id, h.name]));
  return i.targets.map(({ target: t, achieved }) => {
    const { communeCode: _commune, ...rest } = t;
    const scope: ReportTarget['scope'] =
      t.teamId !== null
        ? { kind: 'team', id: t.teamId, label: i.teamNames.get(t.teamId) ?? t.teamId }
        : t.hamletId !== null
          ? { kind: 'hamlet', id: t.hamletId, label: hamletName.get(t.hamletId) ?? t.hamletId }
          : { kind: 'commune', id: i.communeCode, label: 'Toàn xã' };
    return {
      ...rest,
      achieved,
      percent: percentOf(achieved, t.target),
      text: formatProgressVi(achieved, t.target),
      scope,
    };
  });
}

/**
 * The sessions' section: totals compared like records', and per topic, hamlet and team with every
 * row of the commune's lists (zeros included), then any other value a session names.
 */
export function sessionSection(
  i: ReportInputs,
  hamlets: { id: string; name: string }[],
): ReportSessions | undefined {
  const s = i.sessions;
  if (!s) return undefined;
  const current = tallySessions(s.current, []);
  const by = (
    dim: 'topic' | 'hamlet' | 'team',
    listed: { id: string; label: string }[],
  ): ReportSessionGroup[] => {
    const counted = tallySessions(s.current, [dim]).rows;
    const rows = listed.map((l) => ({ ...l, sessions: 0, attendees: 0 }));
    for (const r of counted) {
      const id = r.key[dim] ?? '';
      let row = rows.find((x) => x.id === id);
      if (!row) rows.push((row = { id, label: id, sessions: 0, attendees: 0 }));
      row.sessions += r.sessions;
      row.attendees += r.attendees;
    }
    return rows;
  };
  const topics = topicsOrDefault(s.topics);
  const named = new Set(s.current.map((r) => r.topic));
  const teamLabel = (id: string): string => i.teamNames.get(id) ?? id;
  const byTeam = by(
    'team',
    i.teams.map((t) => ({ id: t.id, label: t.name })),
  ).map((r) => ({ ...r, label: r.label === r.id ? teamLabel(r.id) : r.label }));
  return {
    totals: {
      current: current.total,
      previous: tallySessions(s.previous, []).total,
      lastYear: tallySessions(s.lastYear, []).total,
    },
    rejected: current.rejected,
    byTopic: by(
      'topic',
      topics.filter((t) => t.active || named.has(t.code)).map((t) => ({ id: t.code, label: t.label })),
    ),
    byHamlet: by(
      'hamlet',
      hamlets.map((h) => ({ id: h.id, label: h.name })),
    ).map((r) => ({ ...r, label: i.hamlets.find((h) => h.id === r.id)?.name ?? r.label })),
    byTeam,
    attendance: current.attendance,
  };
}

/** The summary from its inputs: no I/O, so its identities are unit tested. */
export function shapeReport(i: ReportInputs): ReportSummary {
  const { current: c, previous: p, lastYear: l } = i;
  const hamletCategory = c.hamletCategory.rows
    .filter((r) => r.count > 0)
    .map((r) => ({ hamletId: keyOf(r, 'hamlet'), category: keyOf(r, 'category') ?? '', count: r.count }));
  const catNow = countsBy(c.hamletCategory, 'category');
  const catPrev = countsBy(p.categories, 'category');
  const catLast = countsBy(l.categories, 'category');
  const compared = (
    code: string,
    now: Map<string | null, number>,
    prev: Map<string | null, number>,
    last: Map<string | null, number>,
  ): Compared => ({
    current: now.get(code) ?? 0,
    previous: prev.get(code) ?? 0,
    lastYear: last.get(code) ?? 0,
  });

  const svcNow = countsBy(c.servicePaid, 'service');
  const svcPrev = countsBy(p.services, 'service');
  const svcLast = countsBy(l.services, 'service');
  const paid = new Map<string, number>();
  for (const r of c.servicePaid.rows) {
    const code = keyOf(r, 'service');
    if (code !== null && (r.key as { paidOnline?: unknown }).paidOnline === true)
      paid.set(code, (paid.get(code) ?? 0) + r.count);
  }
  const services = SERVICE_CATALOGUE.services.map((s) => ({
    code: s.code,
    name: s.name,
    agency: s.agency,
    count: compared(s.code, svcNow, svcPrev, svcLast),
    paidOnline: paid.get(s.code) ?? 0,
  }));
  const withService = services.reduce((n, s) => n + s.count.current, 0);
  const paidOnline = services.reduce((n, s) => n + s.paidOnline, 0);

  const outNow = countsBy(c.outcomes, 'outcome');
  const outPrev = countsBy(p.outcomes, 'outcome');
  const outLast = countsBy(l.outcomes, 'outcome');
  const reasons = countsBy(c.failReasons, 'failReason');

  // Hamlets in the commune's order: the active ones, and a retired one only when records name it.
  const named = new Set(hamletCategory.map((h) => h.hamletId));
  const hamlets = i.hamlets
    .filter((h) => h.active || named.has(h.id))
    .map((h) => ({ id: h.id, name: h.name }));
  for (const id of named)
    if (id !== null && !hamlets.some((h) => h.id === id)) hamlets.push({ id, name: id });

  return {
    view: i.view,
    scope: i.scope,
    ...i.periods,
    asOf: i.asOf,
    generatedAt: i.generatedAt,
    totals: {
      current: figures(c.hamletCategory),
      previous: figures(p.categories),
      lastYear: figures(l.categories),
    },
    hamlets,
    hamletCategory,
    categories: CATEGORIES.map((x) => ({
      category: x.code,
      count: compared(x.code, catNow, catPrev, catLast),
    })),
    services,
    payment: { withService, paidOnline, percent: percentOf(paidOnline, withService) },
    outcomes: OUTCOMES.map((x) => ({ outcome: x.code, count: compared(x.code, outNow, outPrev, outLast) })),
    failReasons: FAIL_REASONS.map((x) => ({ reason: x.code, count: reasons.get(x.code) ?? 0 })),
    teams: teamRows(i),
    volunteers: volunteerRows(i),
    targets: targetRows(i),
    settings: readSettings(i.settings),
    sessions: sessionSection(
      i,
      i.hamlets.filter((h) => h.active),
    ),
  };
}

/**
 * Whether the current period's tallies describe the same records: each is a separate read, so a
 * write landing between two of them would make a figure shown twice differ.
 */
export function talliesAgree(c: CurrentTallies): boolean {
  const n = c.hamletCategory.total.count;
  return [c.servicePaid, c.outcomes, c.failReasons, c.teams, c.teamVolunteerDay, c.volunteers].every(
    (t) => t.total.count === n,
  );
}

export function comparedAgree(t: ComparedTallies): boolean {
  const n = t.categories.total.count;
  return [t.services, t.outcomes, t.teams].every((x) => x.total.count === n);
}

// ── the calls ──

export interface ReportRequest {
  user: UserRow;
  from: string;
  to: string;
  view: ReportView;
  now: Date;
}

/** What a report reads: a lead the team's records, a supervisor or an admin the commune's. */
export function reportScopeOf(user: UserRow): PullScope {
  if (user.role === 'lead')
    return user.teamId !== null
      ? { kind: 'team', teamId: user.teamId }
      : { kind: 'volunteer', userId: user.id, teamId: null };
  return { kind: 'commune', communeCode: user.communeCode };
}

const ATTEMPTS = 3;

export async function loadReportInputs(store: Store, q: ReportRequest): Promise<ReportInputs> {
  const { user } = q;
  const communeCode = user.communeCode;
  const scope = reportScopeOf(user);
  const periods = reportPeriods({ from: q.from, to: q.to });
  const [allTeams, hamletRows, people, targetRows, stored] = await Promise.all([
    store.listTeams(communeCode),
    store.listHamlets(communeCode),
    store.listUsers(communeCode),
    store.listTargets(communeCode, q.from, q.to),
    store.getReportSettings(communeCode),
  ]);
  const teamNames = new Map(allTeams.map((t) => [t.id, t.name]));
  // `counts`: a breakdown that shows no citizens skips the distinct count.
  const tally = (period: ReportPeriod, groupBy: TallyDimension[], counts = false): Promise<TallyResponse> => {
    const filter: ReportFilter = { scope, communeCode, from: period.from, to: period.to, view: q.view };
    return store.tally({ ...filter, groupBy, countsOnly: counts });
  };
  const compare = async (period: ReportPeriod): Promise<ComparedTallies> => {
    const [categories, services, outcomes, teams] = await Promise.all([
      tally(period, ['category']),
      tally(period, ['service'], true),
      tally(period, ['outcome'], true),
      tally(period, ['team'], true),
    ]);
    return { categories, services, outcomes, teams };
  };
  const currentOnce = async (): Promise<CurrentTallies> => {
    const p = periods.period;
    const [hamletCategory, servicePaid, outcomes, failReasons, teams, teamVolunteerDay, volunteers] =
      await Promise.all([
        tally(p, ['hamlet', 'category']),
        tally(p, ['service', 'paidOnline'], true),
        tally(p, ['outcome'], true),
        tally(p, ['failReason'], true),
        tally(p, ['team']),
        tally(p, ['team', 'volunteer', 'day'], true),
        tally(p, ['volunteer']),
      ]);
    return { hamletCategory, servicePaid, outcomes, failReasons, teams, teamVolunteerDay, volunteers };
  };
  // A write between the reads is rare and shows as a disagreement: read again, up to three times.
  const currentOf = async (): Promise<CurrentTallies> => {
    let t = await currentOnce();
    for (let n = 1; n < ATTEMPTS && !talliesAgree(t); n += 1) t = await currentOnce();
    return t;
  };
  const comparedOf = async (period: ReportPeriod): Promise<ComparedTallies> => {
    let t = await compare(period);
    for (let n = 1; n < ATTEMPTS && !comparedAgree(t); n += 1) t = await compare(period);
    return t;
  };
  // Group sessions: a section of their own, in the same scope, whatever the view.
  const sessionRows = (period: ReportPeriod): Promise<SessionReportRow[]> =>
    store.sessionReportRows({ scope, communeCode, from: period.from, to: period.to });
  // The three periods at once: PostgreSQL answers them on several pooled connections.
  const [current, previous, lastYear, sCurrent, sPrevious, sLastYear, topics] = await Promise.all([
    currentOf(),
    comparedOf(periods.previousPeriod),
    comparedOf(periods.lastYearPeriod),
    sessionRows(periods.period),
    sessionRows(periods.previousPeriod),
    sessionRows(periods.lastYearPeriod),
    store.sessionTopics(communeCode),
  ]);

  // Targets: the commune's and its hamlets'; a lead sees its own team's too, not another team's.
  // In the Đề án 06 view only the targets of its categories.
  const shown = targetRows.filter(
    (t) =>
      (t.teamId === null || user.role !== 'lead' || t.teamId === user.teamId) &&
      (q.view !== 'de_an_06' || DE_AN_06_CATEGORIES.includes(t.category)),
  );
  const targets = [];
  for (const t of shown) targets.push({ target: t, achieved: await targetAchieved(store, t) });

  const teams =
    scope.kind === 'commune'
      ? allTeams.map((t) => ({ id: t.id, name: t.name }))
      : scope.kind === 'team'
        ? allTeams.filter((t) => t.id === scope.teamId).map((t) => ({ id: t.id, name: t.name }))
        : [];
  const reportScope: ReportScope =
    scope.kind === 'commune'
      ? { kind: 'commune', id: communeCode, label: 'Toàn xã' }
      : {
          kind: 'team',
          id: user.teamId ?? '',
          label: (user.teamId && teamNames.get(user.teamId)) || 'Chưa thuộc tổ nào',
        };
  return {
    view: q.view,
    scope: reportScope,
    periods,
    asOf: asOfDay(q.to, q.now),
    generatedAt: q.now.toISOString(),
    hamlets: hamletRows.map((h) => ({ id: h.id, name: h.name, active: h.active })),
    teams,
    teamNames,
    people: new Map(people.map((p) => [p.id, { name: p.displayName, teamId: p.teamId }])),
    current,
    previous,
    lastYear,
    targets,
    communeCode,
    settings: stored?.settings ?? null,
    sessions: { current: sCurrent, previous: sPrevious, lastYear: sLastYear, topics },
  };
}

/** A target's counted records in its own scope (commune, team or hamlet) and its own period. */
async function targetAchieved(store: Store, t: TargetRow): Promise<number> {
  if (isSessionTarget(t.category)) return sessionTargetAchieved(store, t);
  return (await store.tally({ ...targetFilter(t), groupBy: [] })).total.count;
}

/** GET /api/v1/report's answer. */
export async function buildReport(store: Store, q: ReportRequest): Promise<ReportSummary> {
  return shapeReport(await loadReportInputs(store, q));
}
