// Reporting endpoints for leads, supervisors and admins (docs/reporting.md): tallies, targets,
// review, device reports and reconciliation, and the CSV/XLSX exports.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AppError,
  DEVICE_REPORT_ROLES,
  DeviceReport,
  ExportQuery,
  ReviewInput,
  TALLY_MAX_GROUPS,
  TallyDimension,
  TallyQuery,
  TargetInput,
  isUuidV7,
  newId,
  type FieldIssue,
  type ReconciliationResponse,
  type ReviewResponse,
  type PutTargetResponse,
  type TallyResponse,
  type TargetsResponse,
  DRILL_PAGE_MAX,
  DrillQuery,
  type DrillRecord,
  type DrillResponse,
  SessionTallyDimension,
  SessionTallyQuery,
  isSessionTarget,
  topicsOrDefault,
  type SessionTallyResponse,
} from '../../shared/index.ts';
import {
  csvStream,
  exportPseudonyms,
  sessionsCsvStream,
  xlsxStream,
  type ExportNames,
} from '../reporting/export.ts';
import { tallySessions } from '../reporting/sessions.ts';
import { targetProgress } from '../reporting/targets.ts';
import type { PullScope, ReportFilter, Store, UserRow } from '../store/store.ts';
import { audit } from '../security/audit.ts';
import { pullScope } from '../sync/scope.ts';
import { ALL_ROLES, access, currentUser } from '../security/access.ts';
import { parseBody, screenFreeText } from './parse.ts';

const REVIEWERS = ['lead', 'supervisor', 'admin'] as const;

function badField(field: string, code: string, message: string): AppError {
  const fields: FieldIssue[] = [{ field, code, message }];
  return new AppError('invalid_request', { fields });
}

/** What a caller's reports cover: a volunteer their own records, a lead the team, others the commune. */
export function reportScope(user: UserRow): PullScope {
  const s = pullScope(user);
  return s.kind === 'volunteer' ? { kind: 'volunteer', userId: user.id, teamId: null } : s;
}

function checkPeriod(from: string, to: string): void {
  if (from > to) throw badField('to', 'before_from', 'Ngày kết thúc phải sau ngày bắt đầu.');
}

export function parseGroupBy(raw: string | undefined): TallyDimension[] {
  if (raw === undefined || raw === '') return [];
  const parts = raw.split(',').map((p) => p.trim());
  const out: TallyDimension[] = [];
  for (const p of parts) {
    const d = TallyDimension.safeParse(p);
    if (!d.success) throw badField('groupBy', 'invalid', `Không nhóm được theo "${p}".`);
    if (out.includes(d.data)) throw badField('groupBy', 'duplicate', `"${p}" được nêu hai lần.`);
    out.push(d.data);
  }
  if (out.length > TALLY_MAX_GROUPS)
    throw badField('groupBy', 'too_many', `Chỉ nhóm được theo tối đa ${TALLY_MAX_GROUPS} tiêu chí.`);
  return out;
}

function parseSessionGroupBy(raw: string | undefined): SessionTallyDimension[] {
  if (raw === undefined || raw === '') return [];
  const out: SessionTallyDimension[] = [];
  for (const p of raw.split(',').map((x) => x.trim())) {
    const d = SessionTallyDimension.safeParse(p);
    if (!d.success) throw badField('groupBy', 'invalid', `Không nhóm được theo "${p}".`);
    if (out.includes(d.data)) throw badField('groupBy', 'duplicate', `"${p}" được nêu hai lần.`);
    out.push(d.data);
  }
  if (out.length > TALLY_MAX_GROUPS)
    throw badField('groupBy', 'too_many', `Chỉ nhóm được theo tối đa ${TALLY_MAX_GROUPS} tiêu chí.`);
  return out;
}

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

/** The drill-down cursor: the last (occurredOn, id) of a page, as base64url JSON. */
export function encodeDrillCursor(occurredOn: string, id: string): string {
  return Buffer.from(JSON.stringify([occurredOn, id])).toString('base64url');
}

function decodeDrillCursor(raw: string): { occurredOn: string; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      return { occurredOn: v[0], id: v[1] };
  } catch {
    // falls through to the 400 below
  }
  throw badField('after', 'invalid', 'Con trỏ trang không hợp lệ; hãy tải lại danh sách.');
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function registerReporting(app: FastifyInstance, store: Store): void {
  // The records behind a tally row: the same scope and filters as /tallies, a page at a time.
  app.get(
    '/tallies/records',
    { bodyLimit: 1024, config: access(ALL_ROLES, 'team') },
    async (request, reply): Promise<DrillResponse> => {
      const user = currentUser(request);
      const q = parseBody(DrillQuery, request.query);
      checkPeriod(q.from, q.to);
      const limit = q.limit === undefined ? 50 : Number(q.limit);
      if (limit > DRILL_PAGE_MAX)
        throw badField('limit', 'too_big', `Mỗi trang tối đa ${DRILL_PAGE_MAX} bản ghi.`);
      const after = q.after === undefined ? null : decodeDrillCursor(q.after);
      const page = await store.exportPage(
        {
          scope: reportScope(user),
          communeCode: user.communeCode,
          from: q.from,
          to: q.to,
          category: q.category,
          outcome: q.outcome,
          hamlet: q.hamlet,
          team: q.team,
          volunteer: q.volunteer,
          service: q.service,
          reviewState: q.reviewState,
          view: q.view,
          paidOnline: q.paidOnline,
          failReason: q.failReason,
        },
        after,
        limit + 1,
      );
      const shown = page.slice(0, limit);
      const records: DrillRecord[] = shown.map((r) => ({
        id: r.id,
        version: r.version,
        occurredOn: r.occurredOn,
        hamletId: text(r.data.hamletId),
        category: text(r.data.category),
        outcome: text(r.data.outcome),
        serviceCode: text(r.data.serviceCode),
        teamId: r.teamId,
        volunteerId: r.volunteerId,
        reviewState: r.reviewState as DrillRecord['reviewState'],
        reviewComment: r.reviewComment,
        note: text(r.data.note),
      }));
      const last = shown[shown.length - 1];
      audit(request, 'view', 'tally-records', { from: q.from, to: q.to });
      reply.header('cache-control', 'no-store');
      return {
        records,
        next: page.length > limit && last ? encodeDrillCursor(last.occurredOn, last.id) : null,
      };
    },
  );

  app.get(
    '/tallies',
    { bodyLimit: 1024, config: access(ALL_ROLES, 'team') },
    async (request, reply): Promise<TallyResponse> => {
      const user = currentUser(request);
      const q = parseBody(TallyQuery, request.query);
      checkPeriod(q.from, q.to);
      const groupBy = parseGroupBy(q.groupBy);
      audit(request, 'view', 'tallies', { from: q.from, to: q.to, groupBy });
      reply.header('cache-control', 'no-store');
      return store.tally({
        scope: reportScope(user),
        communeCode: user.communeCode,
        from: q.from,
        to: q.to,
        groupBy,
        category: q.category,
        outcome: q.outcome,
        hamlet: q.hamlet,
        reviewState: q.reviewState,
        view: q.view,
        paidOnline: q.paidOnline,
        failReason: q.failReason,
      });
    },
  );

  // Group sessions beside the records' tally, never inside it (docs/reporting.md, "Group sessions").
  app.get(
    '/tallies/sessions',
    { bodyLimit: 1024, config: access(ALL_ROLES, 'team') },
    async (request, reply): Promise<SessionTallyResponse> => {
      const user = currentUser(request);
      const q = parseBody(SessionTallyQuery, request.query);
      checkPeriod(q.from, q.to);
      const groupBy = parseSessionGroupBy(q.groupBy);
      const rows = await store.sessionReportRows({
        scope: reportScope(user),
        communeCode: user.communeCode,
        from: q.from,
        to: q.to,
        hamlet: q.hamlet,
        team: q.team,
        topic: q.topic,
      });
      audit(request, 'view', 'session-tallies', { from: q.from, to: q.to, groupBy });
      reply.header('cache-control', 'no-store');
      return tallySessions(rows, groupBy, q.reviewState);
    },
  );

  app.put(
    '/targets',
    { bodyLimit: 16 * 1024, config: access(['admin'], 'commune') },
    async (request): Promise<PutTargetResponse> => {
      const user = currentUser(request);
      const body = parseBody(TargetInput, request.body);
      checkPeriod(body.period.from, body.period.to);
      screenFreeText(['label', 'Nhãn chỉ tiêu', body.label]);
      if (body.hamletId && body.teamId)
        throw badField(
          'teamId',
          'team_and_hamlet',
          'Chỉ tiêu dành cho một tổ hoặc một thôn/ấp, không cho cả hai.',
        );
      if (isSessionTarget(body.category) && body.outcome)
        throw badField(
          'outcome',
          'not_for_sessions',
          'Chỉ tiêu về buổi sinh hoạt nhóm không có kết quả hỗ trợ; hãy để trống.',
        );
      if (body.hamletId && !(await store.hamletIds(user.communeCode)).has(body.hamletId))
        throw badField('hamletId', 'unknown_hamlet', 'Thôn/ấp không thuộc xã của bạn.');
      if (body.teamId && !(await store.listTeams(user.communeCode)).some((t) => t.id === body.teamId))
        throw badField('teamId', 'unknown_team', 'Tổ không thuộc xã của bạn.');
      const saved = await store.transaction((tx) =>
        tx.putTarget(
          {
            id: newId(),
            communeCode: user.communeCode,
            period: body.period,
            category: body.category,
            outcome: body.outcome ?? null,
            hamletId: body.hamletId ?? null,
            teamId: body.teamId ?? null,
            target: body.target,
            label: body.label ?? null,
          },
          user.id,
          new Date().toISOString(),
        ),
      );
      const { communeCode: _commune, ...target } = saved;
      audit(request, 'target_change', `target:${target.id}`, {
        category: target.category,
        target: target.target,
      });
      return { target };
    },
  );

  app.get(
    '/targets',
    { bodyLimit: 1024, config: access(REVIEWERS, 'commune') },
    async (request, reply): Promise<TargetsResponse> => {
      const user = currentUser(request);
      const q = parseBody(ExportQuery, request.query);
      checkPeriod(q.from, q.to);
      const rows = await store.listTargets(user.communeCode, q.from, q.to);
      const targets = [];
      // Each target's progress counts its own scope (commune, team or hamlet), whoever reads it; a
      // lead reads the commune's and hamlets' targets and the own team's, not another team's.
      for (const t of rows)
        if (user.role !== 'lead' || t.teamId === null || t.teamId === user.teamId)
          targets.push(await targetProgress(store, t));
      audit(request, 'view', 'targets', { from: q.from, to: q.to });
      reply.header('cache-control', 'no-store');
      return { targets };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/records/:id/review',
    { bodyLimit: 16 * 1024, config: access(REVIEWERS, 'team') },
    async (request): Promise<ReviewResponse> => {
      const user = currentUser(request);
      audit(request, 'review', `record:${request.params.id}`);
      const body = parseBody(ReviewInput, request.body);
      const id = request.params.id;
      if (!isUuidV7(id)) throw new AppError('not_found');
      const comment = body.comment ?? null;
      screenFreeText(['comment', 'Nhận xét', comment]);
      return store.transaction(async (tx) => {
        const row = await tx.getRecord(id);
        if (!row || row.deleted) throw new AppError('not_found');
        const allowed =
          row.communeCode === user.communeCode &&
          (user.role === 'supervisor' ||
            user.role === 'admin' ||
            (user.role === 'lead' && user.teamId !== null && row.teamId === user.teamId));
        if (!allowed) throw new AppError('forbidden');
        const version = await tx.nextVersion();
        const at = new Date().toISOString();
        await tx.setReview({ recordId: id, version, state: body.state, comment, userId: user.id, at });
        // The review is in the record's history like any write, so /records/:id/history shows it.
        await tx.addHistory({
          recordId: id,
          version,
          mutationId: null,
          userId: user.id,
          op: 'update',
          patch: { reviewState: body.state, reviewComment: comment },
          replaced: { reviewState: row.reviewState ?? null, reviewComment: row.reviewComment ?? null },
          lost: null,
          won: null,
          at,
        });
        return {
          recordId: id,
          reviewState: body.state,
          reviewComment: comment,
          version,
          reviewedBy: user.id,
          at,
        };
      });
    },
  );

  app.post(
    '/devices/report',
    // A supervisor's or admin's phone has nothing to report: an older app sends it anyway, and that
    // refusal is the app's doing, not a person's attempt, so it is not logged as a denial.
    { bodyLimit: 16 * 1024, config: { ...access(DEVICE_REPORT_ROLES, 'own'), auditRoleDenials: false } },
    async (request, reply) => {
      const user = currentUser(request);
      const body = parseBody(DeviceReport, request.body);
      for (const [i, p] of body.periodCounts.entries())
        if (p.from > p.to)
          throw badField(`periodCounts.${i}`, 'before_from', 'Ngày kết thúc phải sau ngày bắt đầu.');
      const at = new Date().toISOString();
      await store.transaction(async (tx) => {
        const client = await tx.getClient(body.clientId);
        if (client && client.userId !== user.id) throw new AppError('forbidden');
        if (!client) await tx.insertClient(body.clientId, user.id, at);
        await tx.saveDeviceReport({
          clientId: body.clientId,
          userId: user.id,
          periodCounts: body.periodCounts,
          pending: body.pending,
          deviceAt: body.at,
          receivedAt: at,
        });
      });
      return reply.status(204).send();
    },
  );

  app.get(
    '/reconciliation',
    { bodyLimit: 1024, config: access(REVIEWERS, 'team') },
    async (request, reply): Promise<ReconciliationResponse> => {
      const user = currentUser(request);
      const q = parseBody(ExportQuery, request.query);
      if (q.reviewState !== undefined) throw badField('reviewState', 'unknown_field', 'Không dùng ở đây.');
      checkPeriod(q.from, q.to);
      const scope = reportScope(user);
      const inputs = await store.reconciliationInputs(scope);
      const tally = await store.tally({
        scope,
        communeCode: user.communeCode,
        from: q.from,
        to: q.to,
        groupBy: ['volunteer'],
        // The phones hold their refused records too: compare like with like.
        includeRejected: true,
      });
      const server = new Map(tally.rows.map((r) => [r.key.volunteer ?? '', r.count]));
      const reports = new Map(inputs.reports.map((r) => [r.userId, r]));
      const rows = inputs.people.map((p) => {
        const report = reports.get(p.id);
        const period = report?.periodCounts.find((c) => c.from === q.from && c.to === q.to);
        const deviceCount = period ? period.count : null;
        const serverCount = server.get(p.id) ?? 0;
        const pending = report ? report.pending : null;
        return {
          volunteerId: p.id,
          displayName: p.displayName,
          teamId: p.teamId,
          deviceCount,
          serverCount,
          pendingAtLastContact: pending,
          lastContactAt: report?.receivedAt ?? null,
          lastSyncedAt: inputs.lastSynced.get(p.id) ?? null,
          complete: deviceCount !== null && pending === 0 && deviceCount === serverCount,
        };
      });
      audit(request, 'view', 'reconciliation', { from: q.from, to: q.to });
      reply.header('cache-control', 'no-store');
      return { from: q.from, to: q.to, rows };
    },
  );

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
