// POST /api/v1/privacy/subject-requests: a commune admin's data-subject request (find, export,
// erase) by a citizen's ID number; the number is in the body (never in a URL or a log line).
import type { FastifyInstance } from 'fastify';
import { AppError, SubjectRequest } from '../../shared/index.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import { subjectCsv, subjectRequest } from '../privacy/subject-requests.ts';
import type { Store } from '../store/store.ts';
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
}
