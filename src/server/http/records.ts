// GET /api/v1/records/:id — one record as the server holds it — and GET /api/v1/records/:id/history,
// every write of it with the values replaced and lost; both for callers allowed to read the record.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, isUuidV7, type RecordHistoryResponse } from '../../shared/index.ts';
import { audit } from '../security/audit.ts';
import type { RecordRow, Store } from '../store/store.ts';
import { historyItem } from '../sync/history.ts';
import { canRead } from '../sync/scope.ts';
import { wireRecord } from '../sync/wire.ts';
import { ALL_ROLES, access, currentUser } from '../security/access.ts';

type ById = FastifyRequest<{ Params: { id: string } }>;

const READ_ROUTE = { bodyLimit: 1024, config: access(ALL_ROLES, 'team') };

/** The record named in the path, if the caller may read it: 404 if never seen, 403 outside scope. */
async function readable(store: Store, request: ById): Promise<RecordRow> {
  const user = currentUser(request);
  const id = request.params.id;
  const row = isUuidV7(id) ? await store.getRecord(id) : null;
  if (!row) throw new AppError('not_found');
  if (!canRead(user, row)) throw new AppError('forbidden');
  return row;
}

export function registerRecords(app: FastifyInstance, store: Store): void {
  app.get<{ Params: { id: string } }>('/records/:id', READ_ROUTE, async (request, reply) => {
    const row = await readable(store, request);
    audit(request, 'view', `record:${row.id}`);
    reply.header('cache-control', 'no-store');
    return { record: row.deleted ? null : wireRecord(row), version: row.version, deleted: row.deleted };
  });

  app.get<{ Params: { id: string } }>(
    '/records/:id/history',
    READ_ROUTE,
    async (request, reply): Promise<RecordHistoryResponse> => {
      const row = await readable(store, request);
      const history = await store.recordHistory(row.id);
      audit(request, 'view', `record:${row.id}`, { history: true });
      reply.header('cache-control', 'no-store');
      return { recordId: row.id, history: history.map(historyItem) };
    },
  );
}
