// Login, enrolment and logout. Turning `Authorization: Bearer <token>` into `request.user` is the
// access hook's job (src/server/security/access.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import { EnrolRequest } from '../../shared/admin.ts';
import {
  DEFAULT_MAX_MUTATIONS,
  AppError,
  LoginRequest,
  newId,
  type LoginResponse,
  type SessionUser,
  type TeamMember,
} from '../../shared/index.ts';
import { NO_PASSWORD, deviceLabel } from '../admin/accounts.ts';
import { burnPasswordCheck, verifyPassword } from '../auth/password.ts';
import { bearerToken, hashToken, newToken } from '../auth/tokens.ts';
import { ALL_ROLES, access, publicAccess } from '../security/access.ts';
import { audit } from '../security/audit.ts';
import {
  DEFAULT_RATE_LIMITS,
  LoginThrottle,
  loginRateLimit,
  type RateLimits,
} from '../security/rate-limit.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import { loginHandoff } from '../handoff/service.ts';
import type { CommuneInfo, Store, UserRow } from '../store/store.ts';
import { parseBody, screenFreeText } from './parse.ts';

export { currentUser } from '../security/access.ts';

export const LOGIN_BODY_LIMIT = 16 * 1024;

const LogoutRequest = z.strictObject({});

export function sessionUser(u: UserRow): SessionUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    communeCode: u.communeCode,
    teamId: u.teamId,
  };
}

export function registerLogin(
  app: FastifyInstance,
  store: Store,
  limits: RateLimits = DEFAULT_RATE_LIMITS,
  keys?: ServerKeys,
  throttle: LoginThrottle = new LoginThrottle(limits),
  maxMutations: number = DEFAULT_MAX_MUTATIONS,
): void {
  app.post(
    '/api/v1/auth/login',
    { bodyLimit: LOGIN_BODY_LIMIT, config: { ...publicAccess(), rateLimit: loginRateLimit(limits) } },
    async (request): Promise<LoginResponse> => {
      const body = parseBody(LoginRequest, request.body);
      // Phone keyboards capitalise the first letter; usernames are stored in lower case.
      const username = body.username.trim().toLowerCase();
      const key = LoginThrottle.key(username);
      let wait: number;
      try {
        wait = throttle.delayFor(key);
      } catch (e) {
        audit(request, 'login_throttled', null, null, await store.findUserByUsername(username));
        throw e;
      }
      // After a few wrong passwords every answer for this username comes slower.
      if (wait > 0) await sleep(wait);
      const user = await store.findUserByUsername(username);
      // An unknown or disabled user, or one enrolled by QR only, costs the same scrypt as a real one.
      const ok =
        user && user.active && user.passwordHash !== NO_PASSWORD
          ? await verifyPassword(body.password, user.passwordHash)
          : await burnPasswordCheck(body.password);
      if (!user || !ok) {
        throttle.failed(key);
        // An unknown username is not logged as typed: it may be a password in the wrong field.
        audit(request, 'login_failed', null, user ? null : { reason: 'unknown_user' }, user);
        throw new AppError('bad_credentials');
      }
      const commune = await store.getCommune(user.communeCode);
      if (!commune) throw new Error(`user ${user.id} names a missing commune ${user.communeCode}`);
      const token = newToken();
      const at = new Date().toISOString();
      // Every sign-in is a device the admin can see and revoke (docs/operations.md).
      const deviceId = newId();
      await store.transaction(async (tx) => {
        await tx.insertDevice({
          id: deviceId,
          userId: user.id,
          label: deviceLabel(request.headers['user-agent']),
          createdAt: at,
        });
        await tx.createDeviceSession(hashToken(token), user.id, deviceId, at);
      });
      throttle.succeeded(key);
      audit(request, 'login_ok', null, null, user);
      return loginAnswer(store, token, user, withContactKey(commune, keys), maxMutations);
    },
  );
}

/** A login's or enrolment's answer; a lead's carries the team members' names (docs/privacy.md). */
async function loginAnswer(
  store: Store,
  token: string,
  user: UserRow,
  commune: LoginResponse['commune'],
  maxMutations: number,
): Promise<LoginResponse> {
  const answer: LoginResponse = {
    token,
    user: sessionUser(user),
    commune,
    handoff: await loginHandoff(store, user.communeCode),
    maxMutations,
  };
  if (user.role === 'lead' && user.teamId) answer.team = await teamMembers(store, user);
  return answer;
}

/** The lead's team, disabled members included: their records still wait in the review queue. */
async function teamMembers(store: Store, lead: UserRow): Promise<TeamMember[]> {
  const users = await store.listUsers(lead.communeCode);
  return users.filter((u) => u.teamId === lead.teamId).map((u) => ({ id: u.id, name: u.displayName }));
}

function withContactKey(commune: CommuneInfo, keys: ServerKeys | undefined): LoginResponse['commune'] {
  // Only public things: the secret of citizenKey never leaves the server (docs/privacy.md). The
  // phone seals ID numbers and contacts to contactKey instead.
  const answer: LoginResponse['commune'] = {
    code: commune.code,
    name: commune.name,
    hamlets: commune.hamlets,
  };
  if (keys) answer.contactKey = keys.contactPublic;
  return answer;
}

/**
 * POST /api/v1/auth/enrol: a one-time enrolment token (from the admin's QR code) becomes this
 * phone's own device token; the answer is a login's. Never asks for a password. Rate-limited
 * like login (a token is long and random, but guessing must stay slow).
 */
export function registerEnrol(
  app: FastifyInstance,
  store: Store,
  limits: RateLimits = DEFAULT_RATE_LIMITS,
  keys?: ServerKeys,
  maxMutations: number = DEFAULT_MAX_MUTATIONS,
): void {
  app.post(
    '/api/v1/auth/enrol',
    { bodyLimit: 4 * 1024, config: { ...publicAccess(), rateLimit: loginRateLimit(limits) } },
    async (request): Promise<LoginResponse> => {
      const body = parseBody(EnrolRequest, request.body);
      // Checked before the token is used, so a refused label leaves the enrolment usable.
      screenFreeText(['label', 'Tên thiết bị', body.label]);
      const token = newToken();
      const now = new Date();
      const at = now.toISOString();
      const enrolHash = hashToken(body.token);
      const user = await store.transaction(async (tx) => {
        const enrolment = await tx.findEnrolment(enrolHash);
        if (!enrolment) throw new AppError('enrolment_invalid');
        if (enrolment.usedAt) throw new AppError('enrolment_used');
        const owner = await tx.getUser(enrolment.userId);
        if (!owner) throw new AppError('enrolment_invalid');
        // Before the expiry: disabling the account also expired the code, and this says why.
        if (!owner.active) throw new AppError('account_disabled');
        if (Date.parse(enrolment.expiresAt) <= now.getTime()) throw new AppError('enrolment_expired');
        const deviceId = newId();
        await tx.insertDevice({
          id: deviceId,
          userId: owner.id,
          label: deviceLabel(request.headers['user-agent'], body.label),
          createdAt: at,
        });
        // A concurrent enrolment with the same token lost the race: this one rolls back.
        if (!(await tx.useEnrolment(enrolHash, deviceId, at))) throw new AppError('enrolment_used');
        await tx.createDeviceSession(hashToken(token), owner.id, deviceId, at);
        return owner;
      });
      const commune = await store.getCommune(user.communeCode);
      if (!commune) throw new Error(`user ${user.id} names a missing commune ${user.communeCode}`);
      audit(request, 'login_ok', null, { enrolment: true }, user);
      return loginAnswer(store, token, user, withContactKey(commune, keys), maxMutations);
    },
  );
}

/** POST /api/v1/auth/logout: revokes the token it was called with. */
export function registerLogout(app: FastifyInstance, store: Store): void {
  app.post('/auth/logout', { bodyLimit: 1024, config: access(ALL_ROLES, 'own') }, async (request, reply) => {
    // No body, or an empty object: anything else is a mistaken call and changes nothing.
    if (request.body !== undefined) parseBody(LogoutRequest, request.body);
    const token = bearerToken(request.headers.authorization);
    if (token) await store.transaction((tx) => tx.revokeSession(hashToken(token), new Date().toISOString()));
    return reply.status(204).send();
  });
}
