// POST /api/v1/privacy/subject-requests: a commune admin's data-subject request (find, export,
// erase) by a citizen's ID number; the number is in the body (never in a URL or a log line).
import type { FastifyInstance } from 'fastify';
import { SubjectRequest } from '../../shared/index.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import { subjectCsv, subjectRequest } from '../privacy/subject-requests.ts';
import type { Store } from '../store/store.ts';
import { access, currentUser } from '../security/access.ts';
import { audit } from '../security/audit.ts';
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
        {
          action: body.action,
          records: res.records.length,
        },
      );
      reply.header('cache-control', 'no-store');
      if (body.action === 'export' && body.format === 'csv') {
        reply.header('content-disposition', 'attachment; filename="yeu-cau-du-lieu.csv"');
        return reply.type('text/csv; charset=utf-8').send(subjectCsv(res));
      }
      return res;
    },
  );
}
