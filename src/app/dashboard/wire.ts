// zod/mini parsers for the reporting answers whose shapes src/shared/reporting.ts defines as types:
// the dashboard trusts only a JSON answer that parses as one of these (a captive portal's HTML fails).
import * as z from 'zod/mini';
import type {
  PutTargetResponse,
  DrillResponse,
  ReconciliationResponse,
  TallyResponse,
  TargetsResponse,
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
  // An answer from a server older than "What counts" has no refused records beside it.
  rejected: z._default(count, 0),
});

const PeriodSchema = z.object({ from: z.string(), to: z.string() });

export const TargetsAnswer: z.ZodMiniType<TargetsResponse> = z.object({
  targets: z.array(
    z.object({
      id: z.string(),
      period: PeriodSchema,
      category: z.string(),
      outcome: z.nullable(z.string()),
      hamletId: z.nullable(z.string()),
      teamId: z._default(z.nullable(z.string()), null),
      target: z.number(),
      label: z.nullable(z.string()),
      achieved: count,
      percent: z.number(),
      text: z.string(),
    }),
  ),
});

/** PUT /api/v1/targets: the stored target. */
export const PutTargetAnswer: z.ZodMiniType<PutTargetResponse> = z.object({
  target: z.object({
    id: z.string(),
    period: PeriodSchema,
    category: z.string(),
    outcome: z.nullable(z.string()),
    hamletId: z.nullable(z.string()),
    teamId: z._default(z.nullable(z.string()), null),
    target: z.number(),
    label: z.nullable(z.string()),
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
