// The dashboard's HTTP client: reporting GETs with the session's bearer token, parsed with the wire
// schemas (a non-JSON or wrong-shape answer is a failure), and export downloads as a Blob.
import {
  ErrorResponse,
  type PutTargetResponse,
  type DrillResponse,
  type ReconciliationResponse,
  type ReportSummary,
  type ReportView,
  type TallyDimension,
  type TallyResponse,
  type TargetInput,
} from '../../shared/index.ts';
import { ApiClient, type ApiFailure, type ApiResult } from '../sync/api.ts';
import { dt } from './i18n.ts';
import type { Period } from '../../shared/periods.ts';
import { DrillAnswer, PutTargetAnswer, ReconciliationAnswer, ReportAnswer, TallyAnswer } from './wire.ts';

/** The log as CSV or XLSX, or the group sessions' own CSV (a CSV has no sheets). */
export type ExportFormat = 'csv' | 'xlsx' | 'sessions-csv';

export interface TallyFilter {
  /** The report's view: 'de_an_06' narrows every tally the way the report does. */
  view?: ReportView;
  category?: string;
  hamlet?: string;
  /** A review state, or 'none' (not reviewed yet). */
  reviewState?: string;
}

/** The key of the row whose records a drill-down lists. */
export interface DrillFilter extends TallyFilter {
  team?: string;
  volunteer?: string;
  service?: string;
}

/** A target to store: TargetInput naming at most one of a team or a hamlet (null: the commune). */
export type TargetDraft = TargetInput & { teamId?: string | null };

export type DownloadResult = { ok: true; blob: Blob; filename: string } | { ok: false; failure: ApiFailure };

const EXPORT_TYPES: Record<ExportFormat, RegExp> = {
  csv: /^(text\/csv|application\/csv|application\/octet-stream)\b/i,
  'sessions-csv': /^(text\/csv|application\/csv|application\/octet-stream)\b/i,
  xlsx: /^(application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet|application\/octet-stream)\b/i,
};

export class DashboardApi {
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #api: ApiClient;

  constructor(token: string, fetchImpl?: typeof fetch) {
    this.#token = token;
    // Unbound window.fetch throws "Illegal invocation".
    this.#fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
    this.#api = new ApiClient({ fetch: this.#fetch });
  }

  tallies(
    period: Period,
    groupBy: TallyDimension[],
    filter: TallyFilter = {},
  ): Promise<ApiResult<TallyResponse>> {
    const q = query(period, { groupBy: groupBy.join(','), ...filter });
    return this.#api.get(this.#token, `/api/v1/tallies?${q}`, TallyAnswer);
  }

  /** One page of the records behind a tally row (`after`: the previous page's `next`). */
  records(period: Period, filter: DrillFilter, after: string | null): Promise<ApiResult<DrillResponse>> {
    const q = query(period, { ...filter, after: after ?? undefined });
    return this.#api.get(this.#token, `/api/v1/tallies/records?${q}`, DrillAnswer);
  }

  /** The period's report in one answer (the view's figures, in the caller's scope). */
  report(period: Period, view: ReportView): Promise<ApiResult<ReportSummary>> {
    const q = query(period, { view: view === 'all' ? undefined : view });
    return this.#api.get(this.#token, `/api/v1/report?${q}`, ReportAnswer);
  }

  /** PUT /api/v1/targets (admin): success only for a 2xx JSON answer shaped as PutTargetResponse. */
  async putTarget(input: TargetDraft): Promise<ApiResult<PutTargetResponse>> {
    let res: Response;
    try {
      res = await this.#fetch('/api/v1/targets', {
        method: 'PUT',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          authorization: `Bearer ${this.#token}`,
        },
        body: JSON.stringify(input),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return { ok: false, failure: { kind: 'network' } };
    }
    const body = await readJson(res);
    if (!res.ok) {
      const err = body === undefined ? null : ErrorResponse.safeParse(body);
      if (res.status === 401) return { ok: false, failure: { kind: 'unauthorized', status: 401 } };
      if (!err?.success) return { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
      const { code, message } = err.data.error;
      return { ok: false, failure: { kind: 'http', status: res.status, code, message } };
    }
    const parsed = body === undefined ? null : PutTargetAnswer.safeParse(body);
    if (!parsed?.success) return { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
    return { ok: true, value: parsed.data };
  }

  reconciliation(period: Period): Promise<ApiResult<ReconciliationResponse>> {
    return this.#api.get(this.#token, `/api/v1/reconciliation?${query(period)}`, ReconciliationAnswer);
  }

  /** The period's logs as a file; only a 2xx answer of the file's type counts (not a portal's HTML). */
  async download(period: Period, format: ExportFormat, reviewState?: string): Promise<DownloadResult> {
    let res: Response;
    try {
      const file = format === 'sessions-csv' ? 'sessions.csv' : `logs.${format}`;
      res = await this.#fetch(`/api/v1/export/${file}?${query(period, { reviewState })}`, {
        headers: { authorization: `Bearer ${this.#token}` },
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return { ok: false, failure: { kind: 'network' } };
    }
    if (res.status === 401) return { ok: false, failure: { kind: 'unauthorized', status: 401 } };
    if (!res.ok) return { ok: false, failure: { kind: 'http', status: res.status } };
    if (!EXPORT_TYPES[format].test(res.headers.get('content-type') ?? ''))
      return { ok: false, failure: { kind: 'invalid_answer', status: res.status } };
    const blob = await res.blob();
    const named = /filename="?([^";]+)"?/i.exec(res.headers.get('content-disposition') ?? '')?.[1];
    const ext = format === 'xlsx' ? 'xlsx' : 'csv';
    return { ok: true, blob, filename: named ?? `so-tay-${period.from}_${period.to}.${ext}` };
  }
}

/** The body as JSON, or undefined when it is not a JSON answer (a captive portal's HTML). */
async function readJson(res: Response): Promise<unknown> {
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test((res.headers.get('content-type') ?? '').trim()))
    return undefined;
  try {
    return (await res.json()) as unknown;
  } catch {
    return undefined;
  }
}

function query(period: Period, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams({ from: period.from, to: period.to });
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  return params.toString();
}

/** The Vietnamese reason a reporting request failed. */
export function failureMessage(f: ApiFailure): string {
  if (f.kind === 'network') return dt.errors.offline;
  if (f.kind === 'unauthorized') return dt.errors.expired;
  if (f.kind === 'invalid_answer') return dt.errors.invalid;
  if (f.status === 403) return dt.errors.forbidden;
  if (f.status === 404) return dt.errors.unsupported;
  return dt.errors.http(f.status);
}
