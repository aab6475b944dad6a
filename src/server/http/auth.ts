// Login, and the one hook that turns `Authorization: Bearer <token>` into `request.user` for
// everything under /api/v1 but login.
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { EnrolRequest } from '../../shared/admin.ts';
import { AppError, LoginRequest, newId, type LoginResponse, type SessionUser } from '../../shared/index.ts';
import { NO_PASSWORD, deviceLabel } from '../admin/accounts.ts';
import { burnPasswordCheck, verifyPassword } from '../auth/password.ts';
import { bearerToken, hashToken, newToken } from '../auth/tokens.ts';
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
/** A device's last contact is what the admin looks at to find a lost phone: kept finer. */
const TOUCH_DEVICE_EVERY_MS = 5 * 60 * 1000;

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

export function registerLogin(app: FastifyInstance, store: Store): void {
  app.post('/api/v1/auth/login', { bodyLimit: 16 * 1024 }, async (request): Promise<LoginResponse> => {
    const body = parseBody(LoginRequest, request.body);
    // Phone keyboards capitalise the first letter; usernames are stored in lower case.
    const user = await store.findUserByUsername(body.username.trim().toLowerCase());
    // An unknown or disabled user costs the same scrypt as a real one: timing tells nothing.
    const ok =
      user && user.active && user.passwordHash !== NO_PASSWORD
        ? await verifyPassword(body.password, user.passwordHash)
        : await burnPasswordCheck(body.password);
    if (!user || !ok) throw new AppError('bad_credentials');
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
    return { token, user: sessionUser(user), commune };
  });
}

/**
 * POST /api/v1/auth/enrol: a one-time enrolment token (from the admin's QR code) becomes this
 * phone's own device token; the answer is a login's. Never asks for a password.
 */
export function registerEnrol(app: FastifyInstance, store: Store): void {
  app.post('/api/v1/auth/enrol', { bodyLimit: 4 * 1024 }, async (request): Promise<LoginResponse> => {
    const body = parseBody(EnrolRequest, request.body);
    const token = newToken();
    const now = new Date();
    const at = now.toISOString();
    const enrolHash = hashToken(body.token);
    const user = await store.transaction(async (tx) => {
      const enrolment = await tx.findEnrolment(enrolHash);
      if (!enrolment) throw new AppError('enrolment_invalid');
      if (enrolment.usedAt) throw new AppError('enrolment_used');
      if (Date.parse(enrolment.expiresAt) <= now.getTime()) throw new AppError('enrolment_expired');
      const owner = await tx.getUser(enrolment.userId);
      if (!owner) throw new AppError('enrolment_invalid');
      if (!owner.active) throw new AppError('account_disabled');
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
    return { token, user: sessionUser(user), commune };
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
    const session = await store.findDeviceSession(tokenHash);
    if (!session) throw new AppError('unauthorized');
    // Distinct codes: the phone wipes its data on these two, and only asks for a login on others.
    if (!session.user.active) throw new AppError('account_disabled');
    const device = session.device;
    if (device?.revokedAt) throw new AppError('device_revoked');
    const now = Date.now();
    const at = new Date(now).toISOString();
    const touchSession = now - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS;
    const touchDevice = device !== null && now - Date.parse(device.lastSeenAt) > TOUCH_DEVICE_EVERY_MS;
    if (touchSession || touchDevice)
      await store.transaction(async (tx) => {
        if (touchSession) await tx.touchSession(tokenHash, at);
        if (device && touchDevice) await tx.touchDevice(device.id, at);
      });
    request.user = session.user;
  };
}

/** The authenticated caller; only for routes behind the authenticate hook. */
export function currentUser(request: FastifyRequest): UserRow {
  if (!request.user) throw new AppError('unauthorized');
  return request.user;
}
