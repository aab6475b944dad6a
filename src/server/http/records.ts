// GET /api/v1/records/:id — one record as the server holds it, if the caller may read it.
import type { FastifyInstance } from 'fastify';
import { AppError, isUuidV7 } from '../../shared/index.ts';
import type { Store } from '../store/store.ts';
import { canRead } from '../sync/scope.ts';
import { wireRecord } from '../sync/wire.ts';
import { currentUser } from './auth.ts';

export function registerRecords(app: FastifyInstance, store: Store): void {
  app.get<{ Params: { id: string } }>('/records/:id', async (request, reply) => {
    const user = currentUser(request);
    const id = request.params.id;
    const row = isUuidV7(id) ? await store.getRecord(id) : null;
    if (!row) throw new AppError('not_found');
    if (!canRead(user, row)) throw new AppError('forbidden');
    reply.header('cache-control', 'no-store');
    return { record: row.deleted ? null : wireRecord(row), version: row.version, deleted: row.deleted };
  });
}
