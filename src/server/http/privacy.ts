// POST /api/v1/privacy/subject-requests: a commune admin's data-subject request (find, export,
// erase) by a citizen's ID number; the number is in the body (never in a URL or a log line).
// GET /api/v1/records/:id/contact: a record's follow-up contact, for leads, supervisors and admins
// whose scope holds the record (volunteers never read contacts back, docs/privacy.md).
import type { FastifyInstance } from 'fastify';
import { SubjectRequest, isUuidV7, AppError, type ContactFields } from '../../shared/index.ts';
import { decryptAtRest } from '../privacy/contact-vault.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import { subjectCsv, subjectRequest } from '../privacy/subject-requests.ts';
import type { Store } from '../store/store.ts';
import { access, currentUser } from '../security/access.ts';
import { audit } from '../security/audit.ts';
import { canRead } from '../sync/scope.ts';
import { parseBody } from './parse.ts';

export function registerPrivacy(app: FastifyInstance, store: Store, keys: ServerKeys): void {
  app.post(
    '/privacy/subject-requests',
    { bodyLimit: 4 * 1024, config: access(['admin'], 'commune') },
    async (request, reply) => {
      const user = currentUser(request);
      const body = parseBody(SubjectRequest, request.body);
      const res = await subjectRequest(store, keys, user, body);
      // Never the ID number: only what was done and how many records it touched.
      audit(
        request,
        body.action === 'erase' ? 'delete' : body.action === 'export' ? 'export' : 'view',
        'privacy/subject-request',
        { action: body.action, records: res.records.length },
      );
      reply.header('cache-control', 'no-store');
      if (body.action === 'export' && body.format === 'csv') {
        const [hamlets, people] = [
          await store.listHamlets(user.communeCode),
          await store.listUsers(user.communeCode),
        ];
        const names = {
          hamlets: new Map(hamlets.map((h) => [h.id, h.name])),
          people: new Map(people.map((p) => [p.id, p.displayName])),
        };
        reply.header('content-disposition', 'attachment; filename="yeu-cau-du-lieu.csv"');
        return reply.type('text/csv; charset=utf-8').send(subjectCsv(res, names));
      }
      return res;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/records/:id/contact',
    { config: access(['lead', 'supervisor', 'admin'], 'team') },
    async (request, reply) => {
      const user = currentUser(request);
      const id = request.params.id;
      const row = isUuidV7(id) ? await store.getRecord(id) : null;
      if (!row) throw new AppError('not_found');
      if (!canRead(user, row)) throw new AppError('forbidden');
      const stored = await store.transaction((tx) => tx.getContact(id));
      const contact: ContactFields | null = stored ? decryptAtRest(keys, id, stored.sealed) : null;
      // Reading a citizen's contact is exactly what the audit log is for (who viewed what).
      audit(request, 'view', `record:${id}/contact`, { found: contact !== null });
      reply.header('cache-control', 'no-store');
      return { recordId: id, contact, closedAt: stored?.closedAt ?? null };
    },
  );
}
