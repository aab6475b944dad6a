// Login, and the one hook that turns `Authorization: Bearer <token>` into `request.user` for
// everything under /api/v1 but login.
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { AppError, LoginRequest, type LoginResponse, type SessionUser } from '../../shared/index.ts';
import { burnPasswordCheck, verifyPassword } from '../auth/password.ts';
import { bearerToken, hashToken, newToken } from '../auth/tokens.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import type { Store, UserRow } from '../store/store.ts';
import { parseBody } from './parse.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticate hook on every authenticated route. */
    user: UserRow | null;
  }
}

/** last_seen_at is informative; writing it on every request would make every read a write. */
const TOUCH_EVERY_MS = 60 * 60 * 1000;

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

export function registerLogin(app: FastifyInstance, store: Store, keys?: ServerKeys): void {
  app.post('/api/v1/auth/login', { bodyLimit: 16 * 1024 }, async (request): Promise<LoginResponse> => {
    const body = parseBody(LoginRequest, request.body);
    // Phone keyboards capitalise the first letter; usernames are stored in lower case.
    const user = await store.findUserByUsername(body.username.trim().toLowerCase());
    // An unknown or disabled user costs the same scrypt as a real one: timing tells nothing.
    const ok =
      user && user.active
        ? await verifyPassword(body.password, user.passwordHash)
        : await burnPasswordCheck(body.password);
    if (!user || !ok) throw new AppError('bad_credentials');
    const commune = await store.getCommune(user.communeCode);
    if (!commune) throw new Error(`user ${user.id} names a missing commune ${user.communeCode}`);
    const token = newToken();
    await store.transaction((tx) => tx.createSession(hashToken(token), user.id, new Date().toISOString()));
    // A commune inserted outside the application could lack a secret: leave it out rather than
    // answer a login the client cannot parse (the phone then refuses ID numbers and says why).
    const { citizenSecret, ...rest } = commune;
    const answer: LoginResponse['commune'] = citizenSecret ? { ...rest, citizenSecret } : rest;
    if (keys) answer.contactKey = keys.contactPublic;
    return { token, user: sessionUser(user), commune: answer };
  });
}

/** POST /api/v1/auth/logout: revokes the token it was called with (behind the authenticate hook). */
export function registerLogout(app: FastifyInstance, store: Store): void {
  app.post('/auth/logout', { bodyLimit: 1024 }, async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (token) await store.transaction((tx) => tx.revokeSession(hashToken(token), new Date().toISOString()));
    return reply.status(204).send();
  });
}

export function authenticate(store: Store): onRequestHookHandler {
  return async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new AppError('unauthorized');
    const tokenHash = hashToken(token);
    const session = await store.findSession(tokenHash);
    if (!session) throw new AppError('unauthorized');
    const now = Date.now();
    if (now - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS)
      await store.transaction((tx) => tx.touchSession(tokenHash, new Date(now).toISOString()));
    request.user = session.user;
  };
}

/** The authenticated caller; only for routes behind the authenticate hook. */
export function currentUser(request: FastifyRequest): UserRow {
  if (!request.user) throw new AppError('unauthorized');
  return request.user;
}
