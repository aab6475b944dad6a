// POST /api/v1/privacy/subject-requests: a commune admin's data-subject request (find, export,
// erase) by a citizen's ID number; the number is in the body (never in a URL or a log line).
// GET /api/v1/records/:id/contact: a record's follow-up contact, for leads, supervisors and admins
// whose scope holds the record (volunteers never read contacts back, docs/privacy.md).
import type { FastifyInstance } from 'fastify';
import { AppError, SubjectRequest, isUuidV7, type ContactFields } from '../../shared/index.ts';
import { decryptAtRest } from '../privacy/contact-vault.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import { subjectCsv, subjectRequest } from '../privacy/subject-requests.ts';
import type { Store } from '../store/store.ts';
import { canRead } from '../sync/scope.ts';
import { currentUser } from './auth.ts';
import { parseBody } from './parse.ts';

export function registerPrivacy(app: FastifyInstance, store: Store, keys: ServerKeys): void {
  app.post('/privacy/subject-requests', { bodyLimit: 4 * 1024 }, async (request, reply) => {
    const user = currentUser(request);
    if (user.role !== 'admin') throw new AppError('forbidden');
    const body = parseBody(SubjectRequest, request.body);
    const res = await subjectRequest(store, keys, user, body);
    reply.header('cache-control', 'no-store');
    if (body.action === 'export' && body.format === 'csv') {
      reply.header('content-disposition', 'attachment; filename="yeu-cau-du-lieu.csv"');
      return reply.type('text/csv; charset=utf-8').send(subjectCsv(res));
    }
    return res;
  });

  app.get<{ Params: { id: string } }>('/records/:id/contact', async (request, reply) => {
    const user = currentUser(request);
    if (user.role === 'volunteer') throw new AppError('forbidden');
    const id = request.params.id;
    const row = isUuidV7(id) ? await store.getRecord(id) : null;
    if (!row) throw new AppError('not_found');
    if (!canRead(user, row)) throw new AppError('forbidden');
    const stored = await store.transaction((tx) => tx.getContact(id));
    const contact: ContactFields | null = stored ? decryptAtRest(keys, id, stored.sealed) : null;
    reply.header('cache-control', 'no-store');
    return { recordId: id, contact, closedAt: stored?.closedAt ?? null };
  });
}
