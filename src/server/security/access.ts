// The one access mechanism: every route declares `config: { access }` — public, or the roles allowed
// and the scope of data it touches — and one onRequest hook authenticates and checks the role before
// any handler runs. A route registered without a declaration stops the server at start.
import type { FastifyContextConfig, FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError, ROLES, type Role } from '../../shared/index.ts';
import { bearerToken, hashToken } from '../auth/tokens.ts';
import type { ProvinceReaderRow, Store, UserRow } from '../store/store.ts';

/**
 * How far the data a route reads or writes reaches, for the caller:
 * - `own`: only the caller's own things (their session, their device);
 * - `team`: the caller's read scope of sync-protocol.md (a volunteer their own records and the
 *   team's, a lead the team's, a supervisor or admin the commune's);
 * - `commune`: the caller's whole commune (never another commune's).
 * Handlers narrow their queries with `pullScope`/`canRead` (src/server/sync/scope.ts) accordingly.
 */
export type AccessScope = 'own' | 'team' | 'commune';

export type RouteAccess =
  | { readonly public: true }
  | { readonly roles: readonly Role[]; readonly scope: AccessScope }
  /** The hosting province's read-only token (province_readers): no commune account passes, and it passes nowhere else. */
  | { readonly province: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (src/server/security/access.ts). Required on every route. */
    access?: RouteAccess;
    /**
     * false: a refusal for the caller's role is not audited as `denied` (security/audit.ts) — for a
     * call the app itself makes for every role, whose refusal is routine, not someone's attempt.
     */
    auditRoleDenials?: false;
  }
  interface FastifyRequest {
    /** Set by the access hook on every authenticated route. */
    user: UserRow | null;
    /** The enrolled device whose token the caller used; null for a password session or public route. */
    deviceId: string | null;
    /** Set by the access hook on the province's routes only. */
    provinceReader: ProvinceReaderRow | null;
  }
  interface FastifyInstance {
    /** Every route and its declared access, in registration order (tests walk it). */
    readonly routeTable: readonly DeclaredRoute[];
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
  /** The route's own body limit; undefined = the server's (routes without a body). */
  bodyLimit: number | undefined;
}

export const PUBLIC: RouteAccess = { public: true };
export const ALL_ROLES: readonly Role[] = ROLES;

/** `config` for a route: `app.get(url, { config: access(['admin'], 'commune') }, handler)`. */
export function access(roles: readonly Role[], scope: AccessScope): { access: RouteAccess } {
  return { access: { roles, scope } };
}

export function publicAccess(): { access: RouteAccess } {
  return { access: PUBLIC };
}

/** `config` for a route of the hosting province's read-only token (src/server/http/province.ts). */
export function provinceAccess(): { access: RouteAccess } {
  return { access: { province: true } };
}

/** last_seen_at is informative; writing it on every request would make every read a write. */
const TOUCH_EVERY_MS = 60 * 60 * 1000;
/** A device's last contact is what the admin looks at to find a lost phone: kept finer. */
const TOUCH_DEVICE_EVERY_MS = 5 * 60 * 1000;

const BODY_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

function checkDeclaration(route: RouteOptions, fallback: RouteAccess | null): RouteAccess {
  const declared = route.config?.access ?? fallback;
  const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
  if (!declared)
    throw new Error(
      `Route ${methods} ${route.url} declares no access: add config: access([...roles], scope) or publicAccess() (src/server/security/access.ts).`,
    );
  const methodList = Array.isArray(route.method) ? route.method : [route.method];
  if (methodList.some((m) => BODY_METHODS.includes(m)) && route.bodyLimit === undefined)
    throw new Error(`Route ${methods} ${route.url} takes a body but sets no explicit bodyLimit.`);
  if ('roles' in declared) {
    if (declared.roles.length === 0 || declared.roles.some((r) => !ALL_ROLES.includes(r)))
      throw new Error(`Route ${methods} ${route.url} declares unknown or no roles.`);
    if (!['own', 'team', 'commune'].includes(declared.scope))
      throw new Error(`Route ${methods} ${route.url} declares an unknown scope.`);
  }
  return declared;
}

async function authenticate(
  store: Store,
  request: FastifyRequest,
): Promise<{ user: UserRow; deviceId: string | null }> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw new AppError('unauthorized');
  const tokenHash = hashToken(token);
  const session = await store.findDeviceSession(tokenHash);
  if (!session) throw new AppError('unauthorized');
  // Distinct codes: the phone wipes its data on these two, and only asks for a login on others.
  if (!session.user.active) throw new AppError('account_disabled');
  const device = session.device;
  if (device?.revokedAt) throw new AppError('device_revoked');
  // Logged out, or ended by an admin's change to the account (password, role, team, disabling):
  // the phone keeps its unsynced records and asks for a new login.
  if (session.revokedAt) throw new AppError('unauthorized');
  const now = Date.now();
  const at = new Date(now).toISOString();
  const touchSession = now - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS;
  const touchDevice = device !== null && now - Date.parse(device.lastSeenAt) > TOUCH_DEVICE_EVERY_MS;
  if (touchSession || touchDevice)
    await store.transaction(async (tx) => {
      if (touchSession) await tx.touchSession(tokenHash, at);
      if (device && touchDevice) await tx.touchDevice(device.id, at);
    });
  return { user: session.user, deviceId: device?.id ?? null };
}

async function authenticateProvince(store: Store, request: FastifyRequest): Promise<ProvinceReaderRow> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw new AppError('unauthorized');
  const reader = await store.findProvinceReader(hashToken(token));
  if (!reader || reader.revokedAt) throw new AppError('unauthorized');
  return reader;
}

export interface AccessControl {
  /**
   * Routes registered inside `fn` (a third-party plugin's: static files, the CORS preflight) get
   * `defaults` in their config when they declare none.
   */
  withDefault<T>(defaults: FastifyContextConfig & { access: RouteAccess }, fn: () => Promise<T>): Promise<T>;
}

/**
 * Install the mechanism on the root instance, before any route. Unknown URLs (404) carry no
 * declaration and pass through to the not-found handler.
 */
export function registerAccess(app: FastifyInstance, store: Store): AccessControl {
  const table: DeclaredRoute[] = [];
  let fallback: (FastifyContextConfig & { access: RouteAccess }) | null = null;
  app.decorate('routeTable', table);
  app.decorateRequest('user', null);
  app.decorateRequest('deviceId', null);
  app.decorateRequest('provinceReader', null);
  app.addHook('onRoute', (route) => {
    const declared = checkDeclaration(route, fallback?.access ?? null);
    route.config = { ...(route.config?.access ? {} : fallback), ...route.config, access: declared };
    for (const method of Array.isArray(route.method) ? route.method : [route.method])
      table.push({ method, url: route.url, access: declared, bodyLimit: route.bodyLimit });
  });
  app.addHook('onRequest', async (request) => {
    const declared = request.routeOptions.config.access;
    if (!declared || 'public' in declared) return;
    if ('province' in declared) {
      request.provinceReader = await authenticateProvince(store, request);
      return;
    }
    const { user, deviceId } = await authenticate(store, request);
    request.user = user;
    request.deviceId = deviceId;
    // A refusal is audited as `denied` by the audit hook (any 403 of a signed-in caller).
    if (!declared.roles.includes(user.role)) throw new AppError('forbidden', { reason: 'role' });
  });
  return {
    async withDefault(defaults, fn) {
      fallback = defaults;
      try {
        return await fn();
      } finally {
        fallback = null;
      }
    },
  };
}

/** The authenticated caller; only for routes that declare roles. */
export function currentUser(request: FastifyRequest): UserRow {
  if (!request.user) throw new AppError('unauthorized');
  return request.user;
}

/** The signed-in caller's role is not one the route declares (a role refusal, not a scope one). */
export function refusedForRole(request: FastifyRequest): boolean {
  const declared = request.routeOptions.config.access;
  return (
    request.user !== null &&
    declared !== undefined &&
    'roles' in declared &&
    !declared.roles.includes(request.user.role)
  );
}
