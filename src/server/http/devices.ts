// Device reports and reconciliation (docs/reporting.md, "Reconciliation"): what each phone says it
// holds, compared with what the server counts.
import type { FastifyInstance } from 'fastify';
import {
  AppError,
  DEVICE_REPORT_ROLES,
  DeviceReport,
  ExportQuery,
  type ReconciliationResponse,
} from '../../shared/index.ts';
import { audit } from '../security/audit.ts';
import { access, currentUser } from '../security/access.ts';
import type { Store } from '../store/store.ts';
import { badField, parseBody } from './parse.ts';
import { REVIEWERS, checkPeriod, reportScope } from './report-query.ts';

export function registerDevices(app: FastifyInstance, store: Store): void {
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
}
