// A fake reporting server for the dashboard's component tests: GET /report answers one consistent
// ReportSummary (tests/support/report-summary.ts), /tallies answers tallies that agree with it (the
// same records spread over the period's days), /reconciliation names the summary's volunteers.
// Routes given first win; every request is recorded with its method, token and body.
import { bucketOf } from '../../../src/app/dashboard/report.ts';
import type { ReportSummary, TallyResponse, TallyRow } from '../../../src/shared/index.ts';
import { makeReportSummary, type SummaryOptions } from '../../support/report-summary.ts';
import { json } from './fake-server.ts';

export interface Seen {
  method: string;
  url: URL;
  auth: string | null;
  body: unknown;
}

export type Route = (
  url: URL,
  init: RequestInit | undefined,
) => Response | undefined | Promise<Response | undefined>;

/** The summary's records as tally rows: each hamlet × category cell on one day of the period. */
function tally(summary: ReportSummary, groupBy: string[]): TallyResponse {
  const days: string[] = [];
  for (
    let t = Date.parse(`${summary.period.from}T00:00:00Z`);
    t <= Date.parse(`${summary.period.to}T00:00:00Z`);
    t += 86_400_000
  )
    days.push(new Date(t).toISOString().slice(0, 10));
  const total = { count: summary.totals.current.count, citizens: summary.totals.current.citizens };
  const sums = new Map<string, TallyRow>();
  const add = (key: TallyRow['key'], n: number) => {
    const k = JSON.stringify(key);
    const row = sums.get(k) ?? { key, count: 0, citizens: 0 };
    sums.set(k, { key, count: row.count + n, citizens: row.citizens + n });
  };
  const dim = groupBy[0];
  if (dim === 'volunteer') for (const v of summary.volunteers) add({ volunteer: v.volunteerId }, v.count);
  else if (dim === 'hamlet')
    for (const c of summary.hamletCategory) add({ hamlet: c.hamletId, category: c.category }, c.count);
  else if (dim === 'day' || dim === 'week' || dim === 'month' || dim === 'quarter')
    summary.hamletCategory.forEach((c, i) =>
      add({ [dim]: bucketOf(days[(i * 3) % days.length]!, dim) }, c.count),
    );
  return { rows: [...sums.values()], total, rejected: summary.totals.current.rejected } as TallyResponse;
}

export function reportingServer(
  o: { summary?: ReportSummary; options?: SummaryOptions; routes?: Route[] } = {},
) {
  const seen: Seen[] = [];
  let summary = o.summary ?? makeReportSummary(o.options);
  const defaults: Route = (url) => {
    if (url.pathname === '/api/v1/report') return json(200, summary);
    if (url.pathname === '/api/v1/tallies')
      return json(200, tally(summary, (url.searchParams.get('groupBy') ?? '').split(',')));
    if (url.pathname === '/api/v1/reconciliation')
      return json(200, {
        from: summary.period.from,
        to: summary.period.to,
        rows: summary.volunteers.map((v) => ({
          volunteerId: v.volunteerId,
          displayName: v.name,
          teamId: v.teamId,
          deviceCount: v.count,
          serverCount: v.count,
          pendingAtLastContact: 0,
          lastContactAt: null,
          lastSyncedAt: null,
          complete: true,
        })),
      });
    return undefined;
  };
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    seen.push({
      method: init?.method ?? 'GET',
      url,
      auth: new Headers(init?.headers).get('authorization'),
      body,
    });
    await Promise.resolve();
    for (const route of [...(o.routes ?? []), defaults]) {
      const res = await route(url, init);
      if (res) return res;
    }
    return json(404, { error: { code: 'not_found', message: 'not found' } });
  };
  return {
    fetch: fetchImpl,
    seen,
    get summary() {
      return summary;
    },
    /** Answers later /report requests with another summary (e.g. after a target is stored). */
    setSummary(next: ReportSummary) {
      summary = next;
    },
    asked: (path: string) => seen.filter((s) => s.url.pathname === path),
  };
}
