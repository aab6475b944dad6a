// zod/mini parsers for the reporting answers whose shapes src/shared/reporting.ts defines as types:
// the dashboard trusts only a JSON answer that parses as one of these (a captive portal's HTML fails).
import * as z from 'zod/mini';
import {
  ATTENDANCE_CELLS,
  REPORT_VIEWS,
  ReportSettings,
  type AttendanceCell,
  type PutTargetResponse,
  type DrillResponse,
  type ReconciliationResponse,
  type ReportSummary,
  type TallyResponse,
} from '../../shared/index.ts';

const nstr = z.optional(z.nullable(z.string()));
const count = z.number().check(z.gte(0));

const TallyCountSchema = z.object({ count, citizens: count });

export const TallyAnswer: z.ZodMiniType<TallyResponse> = z.object({
  rows: z.array(
    z.object({
      key: z.object({
        hamlet: nstr,
        team: nstr,
        volunteer: nstr,
        category: nstr,
        service: nstr,
        outcome: nstr,
        day: nstr,
        week: nstr,
        month: nstr,
        quarter: nstr,
        paidOnline: z.optional(z.nullable(z.boolean())),
        failReason: nstr,
      }),
      count,
      citizens: count,
    }),
  ),
  total: TallyCountSchema,
  /** Refused records left out of the tally; 0 from a server older than the report. */
  rejected: z._default(count, 0),
});

const PeriodSchema = z.object({ from: z.string(), to: z.string() });

/** PUT /api/v1/targets: the stored target. */
export const PutTargetAnswer: z.ZodMiniType<PutTargetResponse> = z.object({
  target: z.object({
    id: z.string(),
    period: PeriodSchema,
    category: z.string(),
    outcome: z.nullable(z.string()),
    hamletId: z.nullable(z.string()),
    target: z.number(),
    label: z.nullable(z.string()),
    /** null from a server older than targets per team: not a team's target. */
    teamId: z._default(z.nullable(z.string()), null),
  }),
});

export const ReconciliationAnswer: z.ZodMiniType<ReconciliationResponse> = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      volunteerId: z.string(),
      displayName: z.string(),
      teamId: z.nullable(z.string()),
      deviceCount: z.nullable(count),
      serverCount: count,
      pendingAtLastContact: z.nullable(count),
      lastContactAt: z.nullable(z.string()),
      lastSyncedAt: z.nullable(z.string()),
      complete: z.boolean(),
    }),
  ),
});

const reviewState = z.nullable(z.enum(['received', 'has_issues', 'approved', 'rejected']));

/** GET /api/v1/tallies/records: a page of the records behind a tally row. */
export const DrillAnswer: z.ZodMiniType<DrillResponse> = z.object({
  records: z.array(
    z.object({
      id: z.string(),
      version: z.number(),
      occurredOn: z.string(),
      hamletId: z.nullable(z.string()),
      category: z.nullable(z.string()),
      outcome: z.nullable(z.string()),
      serviceCode: z.nullable(z.string()),
      teamId: z.string(),
      volunteerId: z.string(),
      reviewState,
      reviewComment: z.nullable(z.string()),
      note: z.nullable(z.string()),
    }),
  ),
  next: z.nullable(z.string()),
});

const Period = z.object({ from: z.string(), to: z.string() });
const Compared = z.object({ current: count, previous: count, lastYear: count });
const Figures = z.object({ count, citizens: count, rejected: count });
const Agency = z.enum(['police', 'commune', 'other']);

const SessionCountSchema = z.object({ sessions: count, attendees: count });
const SessionGroup = z.object({ id: z.string(), label: z.string(), sessions: count, attendees: count });
const Sessions = z.object({
  totals: z.object({
    current: SessionCountSchema,
    previous: SessionCountSchema,
    lastYear: SessionCountSchema,
  }),
  rejected: SessionCountSchema,
  byTopic: z.array(SessionGroup),
  byHamlet: z.array(SessionGroup),
  byTeam: z.array(SessionGroup),
  attendance: z.object(
    Object.fromEntries(ATTENDANCE_CELLS.map((c) => [c, z._default(count, 0)])) as Record<
      AttendanceCell,
      z.ZodMiniDefault<typeof count>
    >,
  ),
});

/** GET /api/v1/report: the one answer every figure of the dashboard is drawn from. */
export const ReportAnswer: z.ZodMiniType<ReportSummary> = z.object({
  view: z.enum(REPORT_VIEWS),
  scope: z.object({ kind: z.enum(['commune', 'team']), id: z.string(), label: z.string() }),
  period: Period,
  previousPeriod: Period,
  lastYearPeriod: Period,
  asOf: z.nullable(z.string()),
  generatedAt: z.string(),
  totals: z.object({ current: Figures, previous: Figures, lastYear: Figures }),
  hamlets: z.array(z.object({ id: z.string(), name: z.string() })),
  hamletCategory: z.array(z.object({ hamletId: z.nullable(z.string()), category: z.string(), count })),
  categories: z.array(z.object({ category: z.string(), count: Compared })),
  services: z.array(
    z.object({ code: z.string(), name: z.string(), agency: Agency, count: Compared, paidOnline: count }),
  ),
  payment: z.object({ withService: count, paidOnline: count, percent: z.number() }),
  outcomes: z.array(z.object({ outcome: z.string(), count: Compared })),
  failReasons: z.array(z.object({ reason: z.string(), count })),
  teams: z.array(
    z.object({
      teamId: z.string(),
      name: z.string(),
      count: Compared,
      citizens: count,
      activeVolunteers: count,
    }),
  ),
  volunteers: z.array(
    z.object({
      volunteerId: z.string(),
      name: z.string(),
      teamId: z.nullable(z.string()),
      teamName: z.nullable(z.string()),
      count,
      citizens: count,
      activeDays: count,
      perActiveDay: count,
      rank: z.number(),
    }),
  ),
  targets: z.array(
    z.object({
      id: z.string(),
      period: Period,
      category: z.string(),
      outcome: z.nullable(z.string()),
      hamletId: z.nullable(z.string()),
      teamId: z.nullable(z.string()),
      label: z.nullable(z.string()),
      target: z.number(),
      achieved: count,
      percent: z.number(),
      text: z.string(),
      scope: z.object({ kind: z.enum(['commune', 'team', 'hamlet']), id: z.string(), label: z.string() }),
    }),
  ),
  settings: ReportSettings,
  /** Absent from a server older than group sessions: the section is then not shown. */
  sessions: z.optional(Sessions),
});
