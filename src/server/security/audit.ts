// The audit log's one entry point: `audit(request, action, target, detail?)` notes an entry on the
// request; an onSend hook writes the request's entries with the answer's status, before the answer
// leaves. Entries name ids and routes, never citizen data, passwords or tokens.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { newId } from '../../shared/index.ts';
import type { AuditRow, Store, UserRow } from '../store/store.ts';
import { refusedForRole } from './access.ts';

const pending = Symbol('auditPending');

interface Noted {
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  /** The actor when it is not the authenticated caller (a login names its user). */
  actor: UserRow | null;
}

type Audited = FastifyRequest & { [pending]?: Noted[] };

/** Detail values are short: ids (a push names up to 100), counts, filters. Anything longer is dropped. */
/** Written whatever the answer; every other action only when the answer is a success (< 400). */
export const FAILURE_ACTIONS: ReadonlySet<string> = new Set(['login_failed', 'login_throttled', 'denied']);

const MAX_DETAIL_JSON = 8000;

/**
 * Note an audit entry for this request: `action` in lower_snake_case (see AUDIT_ACTIONS), `target`
 * what it concerns (`record:<id>`, `tallies`, `export:logs.csv`…), `detail` small facts (counts,
 * filters). `actor` names the user when the request is not authenticated yet (login).
 */
export function audit(
  request: FastifyRequest,
  action: string,
  target: string | null,
  detail?: Record<string, unknown> | null,
  actor?: UserRow | null,
): void {
  const r = request as Audited;
  let d = detail ?? null;
  if (d !== null && JSON.stringify(d).length > MAX_DETAIL_JSON) d = { truncated: true };
  (r[pending] ??= []).push({ action, target, detail: d, actor: actor ?? null });
}

export function registerAudit(app: FastifyInstance, store: Store): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // Every 403 to a signed-in caller — a role the route does not declare, or a row outside their
    // scope — is a `denied` entry, whichever check refused.
    // A route may declare its role refusals routine (auditRoleDenials: false, access.ts).
    const routine = request.routeOptions.config.auditRoleDenials === false && refusedForRole(request);
    if (reply.statusCode === 403 && request.user && !routine)
      audit(request, 'denied', `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`);
    const all = (request as Audited)[pending];
    if (!all || all.length === 0) return payload;
    (request as Audited)[pending] = [];
    const noted = reply.statusCode < 400 ? all : all.filter((n) => FAILURE_ACTIONS.has(n.action));
    if (noted.length === 0) return payload;
    const at = new Date().toISOString();
    const rows: AuditRow[] = noted.map((n) => {
      const who = n.actor ?? request.user;
      return {
        id: newId(),
        at,
        communeCode: who?.communeCode ?? null,
        userId: who?.id ?? null,
        username: who?.username ?? null,
        role: who?.role ?? null,
        action: n.action,
        target: n.target,
        detail: n.detail,
        ip: request.ip ?? null,
        status: reply.statusCode,
      };
    });
    try {
      await store.appendAudit(rows);
    } catch (err) {
      // The answer still goes out (a phone's sync must not fail on the log); the failure is logged.
      request.log.error({ err, actions: rows.map((r) => r.action) }, 'audit log write failed');
    }
    return payload;
  });
}
