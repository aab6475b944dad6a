// POST /api/v1/sync/push and /api/v1/sync/pull (sync-protocol.md). Authenticated by the hook in app.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  DEFAULT_MAX_MUTATIONS,
  PullRequest,
  PushRequest,
  topicsOrDefault,
  type PullResponse,
  type PushResponse,
} from '../../shared/index.ts';
import { audit } from '../security/audit.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import type { Store } from '../store/store.ts';
import { pull } from '../sync/pull.ts';
import { currentCardEdition } from './cards.ts';
import { checkSchemaVersion, push } from '../sync/push.ts';
import { ALL_ROLES, access, currentUser } from '../security/access.ts';
import { badField, parseBody } from './parse.ts';

/** A whole record with a 500-character note and sealed fields stays far below this. */
const BODY_BYTES_PER_MUTATION = 10 * 1024;

/** The body limit of a push of `maxMutations` mutations (1 MB for the protocol's floor of 100). */
export function pushBodyLimit(maxMutations: number): number {
  return maxMutations * BODY_BYTES_PER_MUTATION + 16 * 1024;
}

/** One entry per push that changed something: the records edited and deleted (ids only). */
function auditPush(request: FastifyRequest, body: PushRequest, answer: PushResponse): void {
  const done = new Set(
    answer.results.filter((r) => r.status === 'applied' || r.status === 'merged').map((r) => r.seq),
  );
  const edited: string[] = [];
  const deleted: string[] = [];
  for (const m of body.mutations as { seq?: unknown; recordId?: unknown; op?: unknown }[]) {
    if (typeof m.seq !== 'number' || !done.has(m.seq) || typeof m.recordId !== 'string') continue;
    (m.op === 'delete' ? deleted : edited).push(m.recordId);
  }
  if (edited.length > 0) audit(request, 'edit', 'sync/push', { records: edited });
  if (deleted.length > 0) audit(request, 'delete', 'sync/push', { records: deleted });
}

export function registerSync(
  app: FastifyInstance,
  store: Store,
  keys?: ServerKeys,
  maxMutations: number = DEFAULT_MAX_MUTATIONS,
): void {
  app.post(
    '/sync/push',
    { bodyLimit: pushBodyLimit(maxMutations), config: access(['volunteer', 'lead'], 'team') },
    async (request, reply): Promise<PushResponse> => {
      reply.header('cache-control', 'no-store');
      checkSchemaVersion(request.body);
      const body = parseBody(PushRequest, request.body, ['mutations']);
      if (body.mutations.length > maxMutations)
        throw badField(
          'mutations',
          'too_many',
          `Mỗi lần gửi tối đa ${maxMutations} thay đổi; hãy chia nhỏ lần gửi.`,
        );
      const answer = await push(store, currentUser(request), body, new Date(), keys, (err) =>
        request.log.error({ err }, 'one mutation rejected after an unexpected error'),
      );
      auditPush(request, body, answer);
      return answer;
    },
  );

  app.post(
    '/sync/pull',
    { bodyLimit: 16 * 1024, config: access(ALL_ROLES, 'team') },
    async (request, reply): Promise<PullResponse> => {
      reply.header('cache-control', 'no-store');
      const user = currentUser(request);
      const answer = await pull(store, user, parseBody(PullRequest, request.body));
      // The last page tells which edition of the how-to cards is current (docs/cards.md).
      if (!answer.hasMore) answer.cards = await currentCardEdition(store, user.communeCode);
      // And the commune's whole topic list for group sessions (docs/group-sessions.md).
      if (!answer.hasMore)
        answer.sessionTopics = topicsOrDefault(await store.sessionTopics(user.communeCode));
      // A pull that brings nothing new (every minute on every phone) is not worth a line.
      if (answer.changes.length > 0) audit(request, 'view', 'sync/pull', { rows: answer.changes.length });
      return answer;
    },
  );
}
