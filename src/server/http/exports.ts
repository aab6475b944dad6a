// The CSV/XLSX exports of the log and the group sessions (docs/reporting.md, "Exports").
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ExportQuery, topicsOrDefault } from '../../shared/index.ts';
import {
  csvStream,
  exportPseudonyms,
  sessionsCsvStream,
  xlsxStream,
  type ExportNames,
} from '../reporting/export.ts';
import { audit } from '../security/audit.ts';
import { ALL_ROLES, access, currentUser } from '../security/access.ts';
import type { ReportFilter, Store, UserRow } from '../store/store.ts';
import { parseBody } from './parse.ts';
import { checkPeriod, reportScope } from './report-query.ts';

async function exportNames(store: Store, user: UserRow): Promise<ExportNames> {
  const commune = await store.getCommune(user.communeCode);
  const hamlets = await store.listHamlets(user.communeCode);
  const teams = await store.listTeams(user.communeCode);
  const people = await store.listUsers(user.communeCode);
  const topics = topicsOrDefault(await store.sessionTopics(user.communeCode));
  const scope = reportScope(user);
  const teamName = (id: string | null): string =>
    teams.find((t) => t.id === id)?.name ?? (id === null ? '' : id);
  return {
    hamlets: new Map(hamlets.map((h) => [h.id, h.name])),
    hamletOrder: (commune?.hamlets ?? []).map((h) => h.id),
    teams: new Map(teams.map((t) => [t.id, t.name])),
    people: new Map(people.map((p) => [p.id, p.displayName])),
    citizen: exportPseudonyms(),
    communeName: commune?.name ?? '',
    scopeLabel:
      scope.kind === 'commune'
        ? 'Toàn xã'
        : scope.kind === 'team'
          ? teamName(user.teamId)
          : `Cá nhân: ${user.displayName}`,
    asOf: new Date(),
    topics: new Map(topics.map((t) => [t.code, t.label])),
  };
}

function exportFilter(request: FastifyRequest): ReportFilter {
  const user = currentUser(request);
  const q = parseBody(ExportQuery, request.query);
  checkPeriod(q.from, q.to);
  return {
    scope: reportScope(user),
    communeCode: user.communeCode,
    from: q.from,
    to: q.to,
    reviewState: q.reviewState,
  };
}

export function registerExports(app: FastifyInstance, store: Store): void {
  // The sessions have no sheets in a CSV: they are a file of their own, beside the log.
  app.get(
    '/export/sessions.csv',
    { bodyLimit: 1024, config: access(ALL_ROLES, 'team') },
    async (request, reply) => {
      const filter = exportFilter(request);
      const names = await exportNames(store, currentUser(request));
      audit(request, 'export', 'export:sessions.csv', { from: filter.from, to: filter.to });
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="buoi-sinh-hoat-nhom-${filter.from}-${filter.to}.csv"`,
        )
        .send(sessionsCsvStream(store, filter, names));
    },
  );

  // The two export formats: the same filter, scope, names and audit; only the stream differs.
  const formats = [
    { ext: 'csv', type: 'text/csv; charset=utf-8', stream: csvStream },
    {
      ext: 'xlsx',
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      stream: xlsxStream,
    },
  ] as const;
  for (const format of formats)
    app.get(
      `/export/logs.${format.ext}`,
      { bodyLimit: 1024, config: access(ALL_ROLES, 'team') },
      async (request, reply) => {
        const filter = exportFilter(request);
        const names = await exportNames(store, currentUser(request));
        audit(request, 'export', `export:logs.${format.ext}`, { from: filter.from, to: filter.to });
        return reply
          .type(format.type)
          .header('cache-control', 'no-store')
          .header(
            'content-disposition',
            `attachment; filename="nhat-ky-${filter.from}-${filter.to}.${format.ext}"`,
          )
          .send(format.stream(store, filter, names));
      },
    );
}
