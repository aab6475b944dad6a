// Group sessions beside sync (docs/group-sessions.md, "API"): the commune's topic list (read by
// everyone, kept by the admin), the list leads and supervisors review from, and the review itself.
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import {
  AppError,
  ReviewInput,
  SessionTopicsBody,
  isCalendarDay,
  isUuidV7,
  topicsOrDefault,
  type ReviewResponse,
  type SessionListItem,
  type SessionListResponse,
} from '../../shared/index.ts';
import { review } from '../reporting/review.ts';
import { audit } from '../security/audit.ts';
import { ALL_ROLES, access, currentUser } from '../security/access.ts';
import type { SessionRow, Store } from '../store/store.ts';
import { pullScope } from '../sync/scope.ts';
import { badField, parseBody, screenFreeText } from './parse.ts';

const REVIEWERS = ['lead', 'supervisor', 'admin'] as const;
export const SESSION_PAGE = 100;

const day = z.string().check(z.refine(isCalendarDay));
const code = z.string().check(z.regex(/^[a-z0-9_]{1,32}$/));
const SessionListQuery = z.strictObject({
  from: z.optional(day),
  to: z.optional(day),
  hamletId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  topic: z.optional(code),
  teamId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  cursor: z.optional(z.string().check(z.maxLength(200))),
});

/** The list's cursor: the last session handed out, as opaque base64url JSON. */
const ListCursor = z.strictObject({ h: day, i: z.string().check(z.minLength(1), z.maxLength(64)) });

function encodeListCursor(row: SessionRow): string {
  return Buffer.from(JSON.stringify({ h: row.data.heldOn, i: row.id }), 'utf8').toString('base64url');
}

function decodeListCursor(text: string): { heldOn: string; id: string } {
  try {
    const parsed = ListCursor.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (parsed.success) return { heldOn: parsed.data.h, id: parsed.data.i };
  } catch {
    // Falls through to the 400 below: a cursor is only ever one this server made.
  }
  throw badField('cursor', 'invalid', 'Con trỏ trang không hợp lệ; hãy tải lại danh sách từ đầu.');
}

function listItem(row: SessionRow): SessionListItem {
  const d = row.data;
  const attendance = (
    typeof d.attendance === 'object' && d.attendance !== null ? d.attendance : {}
  ) as Record<string, number>;
  const item: SessionListItem = {
    id: row.id,
    version: row.version,
    heldOn: String(d.heldOn ?? ''),
    hamletId: String(d.hamletId ?? ''),
    place: String(d.place ?? ''),
    topic: String(d.topic ?? ''),
    attendance,
    attendees: Object.values(attendance).reduce((n, v) => n + (typeof v === 'number' ? v : 0), 0),
    facilitators: Array.isArray(d.facilitators) ? d.facilitators.map(String) : [],
    volunteerId: row.volunteerId,
    teamId: row.teamId,
    reviewState: row.reviewState ?? null,
    reviewComment: row.reviewComment ?? null,
    updatedAt: row.updatedAt,
  };
  if (typeof d.note === 'string') item.note = d.note;
  return item;
}

export function registerSessions(app: FastifyInstance, store: Store): void {
  app.get(
    '/session-topics',
    { bodyLimit: 1024, config: access(ALL_ROLES, 'commune') },
    async (request, reply) => {
      const user = currentUser(request);
      reply.header('cache-control', 'no-store');
      return { topics: topicsOrDefault(await store.sessionTopics(user.communeCode)) };
    },
  );

  app.put(
    '/session-topics',
    { bodyLimit: 64 * 1024, config: access(['admin'], 'commune') },
    async (request, reply): Promise<SessionTopicsBody> => {
      const user = currentUser(request);
      const body = parseBody(SessionTopicsBody, request.body);
      screenFreeText(
        ...body.topics.map((t, n): [string, string, string] => [`topics.${n}.label`, 'Tên chủ đề', t.label]),
      );
      const topics = await store.transaction(async (tx) => {
        // Sessions already logged name these codes (the defaults too): retire one, never drop it.
        const before = topicsOrDefault(await tx.sessionTopics(user.communeCode));
        const kept = new Set(body.topics.map((t) => t.code));
        const dropped = before.filter((t) => !kept.has(t.code)).map((t) => t.code);
        if (dropped.length > 0)
          throw new AppError('invalid_request', {
            fields: [
              {
                field: 'topics',
                code: 'invalid_topics',
                message: `Không được xoá chủ đề đã có (${dropped.join(', ')}); hãy ngừng dùng chủ đề đó thay vì xoá.`,
              },
            ],
          });
        await tx.putSessionTopics(user.communeCode, body.topics);
        return body.topics;
      });
      audit(request, 'session_topics_change', `session-topics:${user.communeCode}`, {
        topics: topics.length,
        active: topics.filter((t) => t.active).length,
      });
      reply.header('cache-control', 'no-store');
      return { topics };
    },
  );

  app.get(
    '/sessions',
    { bodyLimit: 1024, config: access(REVIEWERS, 'team') },
    async (request, reply): Promise<SessionListResponse> => {
      const user = currentUser(request);
      const q = parseBody(SessionListQuery, request.query);
      if (q.from !== undefined && q.to !== undefined && q.from > q.to)
        throw badField('to', 'before_from', 'Ngày kết thúc phải sau ngày bắt đầu.');
      const scope = pullScope(user);
      // A lead lists their own team only; asking for another team is refused, not answered empty.
      if (scope.kind !== 'commune' && q.teamId !== undefined && q.teamId !== user.teamId)
        throw new AppError('forbidden');
      const rows = await store.listSessions({
        scope,
        communeCode: user.communeCode,
        from: q.from,
        to: q.to,
        hamletId: q.hamletId,
        topic: q.topic,
        teamId: q.teamId,
        after: q.cursor === undefined ? undefined : decodeListCursor(q.cursor),
        limit: SESSION_PAGE + 1,
      });
      const hasMore = rows.length > SESSION_PAGE;
      const page = hasMore ? rows.slice(0, SESSION_PAGE) : rows;
      const last = page.at(-1);
      audit(request, 'view', 'sessions', { rows: page.length });
      reply.header('cache-control', 'no-store');
      return { sessions: page.map(listItem), next: hasMore && last ? encodeListCursor(last) : null };
    },
  );

  // As POST /records/:id/review (review.ts): the same body, roles, scope and answer.
  app.post<{ Params: { id: string } }>(
    '/sessions/:id/review',
    { bodyLimit: 16 * 1024, config: access(REVIEWERS, 'team') },
    async (request): Promise<ReviewResponse> => {
      const user = currentUser(request);
      audit(request, 'review', `session:${request.params.id}`);
      const body = parseBody(ReviewInput, request.body);
      const id = request.params.id;
      if (!isUuidV7(id)) throw new AppError('not_found');
      const comment = body.comment ?? null;
      screenFreeText(['comment', 'Nhận xét', comment]);
      return review(store, user, 'session', id, { state: body.state, comment });
    },
  );
}
