// The commune's targets (docs/reporting.md, "Targets"): set by the admin, read with their progress.
import type { FastifyInstance } from 'fastify';
import {
  ExportQuery,
  TargetInput,
  isSessionTarget,
  newId,
  type PutTargetResponse,
  type TargetsResponse,
} from '../../shared/index.ts';
import { targetProgress } from '../reporting/targets.ts';
import { audit } from '../security/audit.ts';
import { access, currentUser } from '../security/access.ts';
import type { Store } from '../store/store.ts';
import { badField, parseBody, screenFreeText } from './parse.ts';
import { REVIEWERS, checkPeriod } from './report-query.ts';

export function registerTargets(app: FastifyInstance, store: Store): void {
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
}
