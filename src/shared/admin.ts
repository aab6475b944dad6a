// Wire messages of accounts and devices (docs/operations.md): the admin's users, teams, hamlets,
// devices and enrolments, and the phone's enrolment. Parsed on both sides like protocol.ts. Not
// re-exported from index.ts: only the server and the admin's lazy screen need the schemas.
import * as z from 'zod/mini';
import { Role } from './protocol.ts';

const id = z.string().check(z.minLength(1), z.maxLength(64));
// Names are trimmed by the server; a name of only spaces is refused there (field `name`).
const name = z.string().check(z.minLength(1), z.maxLength(80));
const displayName = z.string().check(z.minLength(1), z.maxLength(80));
const username = z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{2,31}$/));
const password = z.string().check(z.minLength(8), z.maxLength(256));

export const AdminUser = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  teamId: z.nullable(id),
  active: z.boolean(),
  /** False when the account can only be used through an enrolled device. */
  hasPassword: z.boolean(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminTeam = z.object({ id, name: z.string() });
export type AdminTeam = z.infer<typeof AdminTeam>;

export const AdminHamlet = z.object({ id, name: z.string(), active: z.boolean() });
export type AdminHamlet = z.infer<typeof AdminHamlet>;

export const AdminDevice = z.object({
  id,
  userId: id,
  label: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  revokedAt: z.nullable(z.string()),
});
export type AdminDevice = z.infer<typeof AdminDevice>;

/** GET /api/v1/admin/directory */
export const AdminDirectory = z.object({
  users: z.array(AdminUser),
  teams: z.array(AdminTeam),
  hamlets: z.array(AdminHamlet),
  devices: z.array(AdminDevice),
});
export type AdminDirectory = z.infer<typeof AdminDirectory>;

/** POST /api/v1/admin/users */
export const CreateUserRequest = z.strictObject({
  username,
  displayName,
  role: Role,
  teamId: z.optional(z.nullable(id)),
  /** Optional: without one the account signs in only through an enrolled device. */
  password: z.optional(password),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** POST /api/v1/admin/users/:id — only the fields sent change. */
export const UpdateUserRequest = z.strictObject({
  displayName: z.optional(displayName),
  role: z.optional(Role),
  teamId: z.optional(z.nullable(id)),
  active: z.optional(z.boolean()),
  password: z.optional(password),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/** POST /api/v1/admin/teams, POST /api/v1/admin/teams/:id */
export const TeamRequest = z.strictObject({ name });
export type TeamRequest = z.infer<typeof TeamRequest>;

/** POST /api/v1/admin/hamlets (name), POST /api/v1/admin/hamlets/:id (name and/or active) */
export const HamletRequest = z.strictObject({ name: z.optional(name), active: z.optional(z.boolean()) });
export type HamletRequest = z.infer<typeof HamletRequest>;

/** POST /api/v1/admin/users/:id/enrolments answers this; the token is shown once, as a QR code. */
export const EnrolmentResponse = z.object({
  token: z.string().check(z.minLength(20)),
  userId: id,
  expiresAt: z.string(),
});
export type EnrolmentResponse = z.infer<typeof EnrolmentResponse>;

/** POST /api/v1/auth/enrol: the phone trades the token for its own device token (a LoginResponse). */
export const EnrolRequest = z.strictObject({
  token: z.string().check(z.regex(/^[A-Za-z0-9_-]{20,128}$/)),
  label: z.optional(z.string().check(z.maxLength(80))),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

/** The body of an action without input (enrolment, revocation): nothing, or `{}`. */
export const EmptyRequest = z.strictObject({});
