// Wire messages of sync protocol v1 (sync-protocol.md), defined once and parsed on both sides:
// the server parses every request with these, the client every answer (a captive portal's
// 200 HTML is not a success).
import * as z from 'zod/mini';
import { dayExists } from './dates.ts';
import { UUID_RE } from './ids.ts';
import { LoginHandoff } from './handoff/wire.ts';
import { ENTITY_KINDS, SessionTopic } from './group-session.ts';

/** The wire protocol version (endpoints live under /api/v1). */
export const PROTOCOL_VERSION = 1;
/**
 * Every server takes at least this many mutations in one push; a phone that was not told the
 * server's own `maxMutations` (an older server) sends chunks of this size.
 */
export const MAX_PUSH_MUTATIONS = 100;
/** What a server advertises as `maxMutations` unless configured (MAX_MUTATIONS). */
export const DEFAULT_MAX_MUTATIONS = 1000;
/** No server may advertise more: a push body stays a few megabytes. */
export const MAX_MUTATIONS_CEILING = 5000;
const maxMutations = z.int().check(z.gte(MAX_PUSH_MUTATIONS), z.lte(MAX_MUTATIONS_CEILING));
/** Pull pages are capped at this many rows. */
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

export const ROLES = ['volunteer', 'lead', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const id = z.string().check(z.minLength(1), z.maxLength(64));
const uuid = z.string().check(z.regex(UUID_RE));

// ---- health -------------------------------------------------------------
export const HealthResponse = z.object({
  ok: z.literal(true),
  store: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  /** `pending` until the first commune is set up (docs/operations.md); only then can anyone log in. */
  setup: z.optional(z.enum(['pending', 'done'])),
  /** The most mutations this server takes in one push (at least 100). */
  maxMutations: z.optional(maxMutations),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

// ---- login --------------------------------------------------------------
export const LoginRequest = z.strictObject({
  username: z.string().check(z.minLength(1), z.maxLength(64)),
  password: z.string().check(z.minLength(1), z.maxLength(256)),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const Hamlet = z.object({ id, name: z.string() });
export type Hamlet = z.infer<typeof Hamlet>;

export const SessionUser = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  communeCode: z.string(),
  teamId: z.nullable(id),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const Commune = z.object({
  code: z.string(),
  name: z.string(),
  hamlets: z.array(Hamlet),
  // No secret of citizenKey: it never leaves the server. An old stored session that has one loses it
  // when read (z.object drops unknown keys).
  /** The server's ECDH P-256 public key (raw point, base64url) that seals ID numbers and follow-up contacts. */
  contactKey: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{87}$/))),
});
export type Commune = z.infer<typeof Commune>;

/** A member of the lead's team as the phone names them (review queue, editor): id and display name. */
export const TeamMember = z.object({ id, name: z.string() });
export type TeamMember = z.infer<typeof TeamMember>;

export const LoginResponse = z.object({
  token: z.string().check(z.minLength(16)),
  user: SessionUser,
  commune: Commune,
  /** A lead's team members (the lead included), so the review queue names who logged a record offline. */
  team: z.optional(z.array(TeamMember)),
  /** Hand-off keys of the commune (docs/handoff.md); absent from servers without hand-off. */
  handoff: z.optional(LoginHandoff),
  /** The most mutations this server takes in one push (at least 100; 100 when absent). */
  maxMutations: z.optional(maxMutations),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

// ---- push ---------------------------------------------------------------
export const MutationOp = z.enum(['upsert', 'delete']);
export type MutationOp = z.infer<typeof MutationOp>;

/**
 * One mutation's envelope. `patch` is checked per mutation (a bad record is `rejected`, not a 400),
 * so here it only has to be an object.
 */
export const Mutation = z.strictObject({
  seq: z.int().check(z.gte(1)),
  mutationId: uuid,
  /** The record's id, or the session's when `kind` is 'session'. */
  recordId: uuid,
  /** What the mutation is about (group-session.ts); absent means 'record'. */
  kind: z.optional(z.enum(ENTITY_KINDS)),
  op: MutationOp,
  baseVersion: z.nullable(z.int().check(z.gte(0))),
  patch: z.optional(z.record(z.string(), z.unknown())),
});
export type Mutation = z.infer<typeof Mutation>;

export const PushRequest = z.strictObject({
  clientId: z.string().check(z.minLength(8), z.maxLength(64)),
  schemaVersion: z.int().check(z.gte(1)),
  // The server checks its own, smaller `maxMutations` after this outer bound.
  mutations: z.array(Mutation).check(z.maxLength(MAX_MUTATIONS_CEILING)),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const MutationStatus = z.enum(['applied', 'merged', 'conflict', 'rejected', 'gone']);
export type MutationStatus = z.infer<typeof MutationStatus>;

export const ResultError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.optional(z.unknown()),
});

export const MutationResult = z.object({
  seq: z.int(),
  status: MutationStatus,
  version: z.optional(z.int()),
  record: z.optional(z.record(z.string(), z.unknown())),
  error: z.optional(ResultError),
});
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({
  ackedSeq: z.int().check(z.gte(0)),
  results: z.array(MutationResult),
});
export type PushResponse = z.infer<typeof PushResponse>;

// ---- pull ---------------------------------------------------------------
export const PullRequest = z.strictObject({
  clientId: z.string().check(z.minLength(8), z.maxLength(64)),
  cursor: z.nullable(z.string().check(z.maxLength(512))),
  limit: z.optional(z.int().check(z.gte(1), z.lte(MAX_PULL_LIMIT))),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const Change = z.object({
  id: uuid,
  /** 'session' for a group session (group-session.ts); absent means a record. */
  kind: z.optional(z.enum(ENTITY_KINDS)),
  version: z.int(),
  deleted: z.boolean(),
  data: z.nullable(z.record(z.string(), z.unknown())),
});
export type Change = z.infer<typeof Change>;

export const PullResponse = z.object({
  changes: z.array(Change),
  cursor: z.string(),
  hasMore: z.boolean(),
  reset: z.optional(z.boolean()),
  /**
   * With `reset`: the server was restored from a backup since this cursor was made. Records the
   * device holds as synced that the snapshot lacks were lost with the server, not moved out of
   * scope: the device sends them again (sync-protocol.md, "Restored from a backup").
   */
  restored: z.optional(z.boolean()),
  /**
   * On the last page (`hasMore: false`): the number of the commune's current edition of the how-to
   * cards. A phone holding another one fetches GET /api/v1/cards (sync-protocol.md, "How-to cards").
   */
  cards: z.optional(z.int().check(z.gte(1))),
  /**
   * On the last page: the commune's topic list for group sessions, whole (retired topics
   * included, so old sessions keep their label). Small enough to send every time.
   */
  sessionTopics: z.optional(z.array(SessionTopic)),
});
export type PullResponse = z.infer<typeof PullResponse>;

// ---- errors -------------------------------------------------------------
export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.optional(z.unknown()) }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

// ---- conflicts and record history (review) --------------------------------
/** A field value and who wrote it (user id and role at the time). */
export const AuthoredValue = z.object({ value: z.unknown(), by: id, role: Role });
export type AuthoredValue = z.infer<typeof AuthoredValue>;

/** One field in which a value lost (GET /api/v1/conflicts). */
export const ConflictEntry = z.object({
  recordId: uuid,
  version: z.int(),
  at: z.string(),
  field: z.string(),
  /** null only for entries stored before the server recorded winners. */
  winner: z.nullable(AuthoredValue),
  loser: AuthoredValue,
});
export type ConflictEntry = z.infer<typeof ConflictEntry>;

export const ConflictsResponse = z.object({
  conflicts: z.array(ConflictEntry),
  /** More entries after the last version listed: ask again with `since` = that version. */
  hasMore: z.boolean(),
});
export type ConflictsResponse = z.infer<typeof ConflictsResponse>;

export const HistoryOp = z.enum(['create', 'update', 'delete']);

/** One write (or losing edit) of a record (GET /api/v1/records/:id/history). */
export const HistoryItem = z.object({
  version: z.int(),
  at: z.string(),
  op: HistoryOp,
  by: id,
  /** Fields written (null = cleared). */
  patch: z.record(z.string(), z.unknown()),
  /** The values those fields had before (null = was empty). */
  replaced: z.record(z.string(), z.unknown()),
  lost: z.nullable(z.record(z.string(), AuthoredValue)),
  won: z.nullable(z.record(z.string(), AuthoredValue)),
});
export type HistoryItem = z.infer<typeof HistoryItem>;

export const RecordHistoryResponse = z.object({
  recordId: uuid,
  history: z.array(HistoryItem),
});
export type RecordHistoryResponse = z.infer<typeof RecordHistoryResponse>;

/** Query of GET /api/v1/conflicts: `since` a version (digits) or an ISO date/time; `limit` ≤ 1000. */
export const ConflictsQuery = z.strictObject({
  since: z.optional(
    z.string().check(
      z.regex(/^(\d{1,15}|\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/),
      // A date's day must exist: `Date.parse` would read 2026-02-30 as 2 March.
      z.refine((s) => /^\d{1,15}$/.test(s) || dayExists(s.slice(0, 10))),
    ),
  ),
  limit: z.optional(z.string().check(z.regex(/^\d{1,4}$/))),
});
export type ConflictsQuery = z.infer<typeof ConflictsQuery>;
export const DEFAULT_CONFLICTS_LIMIT = 200;
export const MAX_CONFLICTS_LIMIT = 1000;
