// The commune admin's API (docs/operations.md): users, teams, hamlets, devices and enrolments of
// the admin's own commune. Admin only; anything of another commune answers 404, as if absent.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AdminDevice,
  CreateUserRequest,
  EmptyRequest,
  HamletRequest,
  TeamRequest,
  UpdateUserRequest,
  type AdminDirectory,
  type AdminHamlet,
  type AdminTeam,
  type AdminUser,
  type EnrolmentResponse,
} from '../../shared/admin.ts';
import { ENROLMENT_TTL_MS } from '../../shared/enrolment.ts';
import {
  IMPORT_BODY_LIMIT,
  ImportCommitRequest,
  ImportPreviewRequest,
  type ImportCommitResponse,
  type ImportPreviewResponse,
  type ImportedPerson,
} from '../../shared/people-import.ts';
import { AppError, newId } from '../../shared/index.ts';
import {
  NO_PASSWORD,
  checkTeam,
  cleanName,
  fieldError,
  toAdminDevice,
  toAdminUser,
} from '../admin/accounts.ts';
import { checkRows, readSheet, sheetRows } from '../admin/people-import.ts';
import { hashPassword } from '../auth/password.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Store, UserRow } from '../store/store.ts';
import { access, currentUser } from '../security/access.ts';
import { audit } from '../security/audit.ts';
import { parseBody, screenFreeText } from './parse.ts';

const BODY_LIMIT = 16 * 1024;

// Labels of the typed names in the field messages of a refusal.
const DISPLAY_NAME = 'Tên hiển thị';
const TEAM_NAME = 'Tên tổ';
const HAMLET_NAME = 'Tên thôn/ấp';

/** Every route here: commune admins only, checked by the access hook (src/server/security/access.ts). */
const ADMIN = access(['admin'], 'commune');

function paramId(request: FastifyRequest): string {
  const id = (request.params as { id?: unknown }).id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) throw new AppError('not_found');
  return id;
}

async function anyTaken(store: Store, usernames: string[]): Promise<boolean> {
  for (const u of usernames) if (await store.findUserByUsername(u.toLowerCase())) return true;
  return false;
}

export function registerAdmin(app: FastifyInstance, store: Store): void {
  app.get('/admin/directory', { config: ADMIN }, async (request): Promise<AdminDirectory> => {
    const admin = currentUser(request);
    audit(request, 'view', 'admin/directory');
    const c = admin.communeCode;
    const [users, teams, hamlets, devices] = await Promise.all([
      store.listUsers(c),
      store.listTeams(c),
      store.listHamlets(c),
      store.listDevices(c),
    ]);
    return {
      users: users.map(toAdminUser),
      teams: teams.map((t) => ({ id: t.id, name: t.name })),
      hamlets: hamlets.map((h) => ({ id: h.id, name: h.name, active: h.active })),
      devices: devices.map(toAdminDevice),
    };
  });

  app.post('/admin/users', { bodyLimit: BODY_LIMIT, config: ADMIN }, async (request, reply) => {
    const admin = currentUser(request);
    audit(request, 'account_change', 'user:new');
    const body = parseBody(CreateUserRequest, request.body);
    const displayName = cleanName('displayName', body.displayName);
    screenFreeText(['displayName', DISPLAY_NAME, displayName]);
    const teamId = body.teamId ?? null;
    const passwordHash = body.password ? await hashPassword(body.password) : NO_PASSWORD;
    const user: UserRow = {
      id: newId(),
      username: body.username,
      displayName,
      passwordHash,
      role: body.role,
      communeCode: admin.communeCode,
      teamId,
      active: true,
    };
    try {
      await store.transaction(async (tx) => {
        await checkTeam(tx, admin.communeCode, body.role, teamId);
        if (await tx.findUserByUsername(body.username)) throw new AppError('username_taken');
        await tx.insertUser(user);
      });
    } catch (e) {
      // Two admins creating the same username at once: the loser hits the unique index.
      if (!(e instanceof AppError) && (await store.findUserByUsername(body.username)))
        throw new AppError('username_taken');
      throw e;
    }
    const out: AdminUser = toAdminUser(user);
    return reply.status(201).send(out);
  });

  app.post(
    '/admin/users/:id',
    { bodyLimit: BODY_LIMIT, config: ADMIN },
    async (request): Promise<AdminUser> => {
      const admin = currentUser(request);
      audit(request, 'account_change', `user:${paramId(request)}`);
      const id = paramId(request);
      const body = parseBody(UpdateUserRequest, request.body);
      const displayName =
        body.displayName === undefined ? undefined : cleanName('displayName', body.displayName);
      screenFreeText(['displayName', DISPLAY_NAME, displayName]);
      // Hash outside the transaction: scrypt takes a while and must not hold the write lock.
      const passwordHash = body.password ? await hashPassword(body.password) : undefined;
      return store.transaction(async (tx) => {
        const user = await tx.getUser(id);
        if (!user || user.communeCode !== admin.communeCode) throw new AppError('not_found');
        // An admin cannot lock themselves out (the commune would have no admin left to undo it).
        if (user.id === admin.id && body.active === false)
          throw fieldError('active', 'self', 'Không thể tự khóa tài khoản của mình.');
        if (user.id === admin.id && body.role !== undefined && body.role !== 'admin')
          throw fieldError('role', 'self', 'Không thể tự bỏ quyền quản trị của mình.');
        const role = body.role ?? user.role;
        const teamId = body.teamId === undefined ? user.teamId : body.teamId;
        if (body.role !== undefined || body.teamId !== undefined)
          await checkTeam(tx, admin.communeCode, role, teamId);
        const change = {
          ...(displayName !== undefined ? { displayName } : {}),
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.teamId !== undefined ? { teamId: body.teamId } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
        };
        await tx.updateUser(id, change);
        // What a session may do was decided with the old password, role and team: every session
        // and device token of the user ends (a disabled user's phones still hear account_disabled).
        const ends =
          passwordHash !== undefined ||
          (body.role !== undefined && body.role !== user.role) ||
          (body.teamId !== undefined && body.teamId !== user.teamId) ||
          (body.active === false && user.active);
        if (ends) await tx.endUserSessions(id, new Date().toISOString());
        const after = await tx.getUser(id);
        if (!after) throw new Error(`user ${id} vanished inside its own update`);
        return toAdminUser(after);
      });
    },
  );

  app.post('/admin/users/:id/enrolments', { bodyLimit: 1024, config: ADMIN }, async (request, reply) => {
    const admin = currentUser(request);
    audit(request, 'enrolment_create', `user:${paramId(request)}`);
    const id = paramId(request);
    // No body, or `{}`; anything else (a JSON null too) is a mistaken call and changes nothing.
    parseBody(EmptyRequest, request.body === undefined ? {} : request.body);
    const token = newToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ENROLMENT_TTL_MS).toISOString();
    await store.transaction(async (tx) => {
      const user = await tx.getUser(id);
      if (!user || user.communeCode !== admin.communeCode) throw new AppError('not_found');
      if (!user.active) throw new AppError('account_disabled');
      await tx.insertEnrolment({
        tokenHash: hashToken(token),
        userId: id,
        createdBy: admin.id,
        createdAt: now.toISOString(),
        expiresAt,
        usedAt: null,
      });
    });
    const out: EnrolmentResponse = { token, userId: id, expiresAt };
    return reply.status(201).send(out);
  });

  // Importing people (docs/operations.md): the preview reads and checks the file and writes
  // nothing; the commit checks the rows again and writes all of them or none.
  app.post(
    '/admin/users/import/preview',
    { bodyLimit: IMPORT_BODY_LIMIT, config: ADMIN },
    async (request, reply): Promise<ImportPreviewResponse> => {
      reply.header('cache-control', 'no-store');
      const admin = currentUser(request);
      const body = parseBody(ImportPreviewRequest, request.body);
      const rows = sheetRows(await readSheet(body.file));
      audit(request, 'view', 'admin/users/import', { rows: rows.length });
      return { rows: await checkRows(store, admin.communeCode, rows) };
    },
  );

  app.post(
    '/admin/users/import/commit',
    { bodyLimit: IMPORT_BODY_LIMIT, config: ADMIN },
    async (request, reply) => {
      // The answer holds each person's enrolment token, shown once.
      reply.header('cache-control', 'no-store');
      const admin = currentUser(request);
      const body = parseBody(ImportCommitRequest, request.body);
      const input = body.rows.map((r) => ({
        line: r.line,
        values: {
          name: r.name.normalize('NFC').trim().replace(/\s+/g, ' '),
          username: r.username.trim(),
          role: r.role.trim(),
          team: r.team.trim(),
          phone: (r.phone ?? '').trim(),
        },
      }));
      const now = new Date();
      const expiresAt = new Date(now.getTime() + ENROLMENT_TTL_MS).toISOString();
      let people: ImportedPerson[];
      try {
        people = await store.transaction(async (tx) => {
          const rows = await checkRows(tx, admin.communeCode, input);
          const bad = rows.filter((r) => r.problems.length > 0);
          // All or none: a half-imported list is harder to fix than a refused one.
          if (bad.length > 0)
            throw new AppError('invalid_request', {
              fields: [
                {
                  field: 'rows',
                  code: 'row_problems',
                  message: `${bad.length} dòng có lỗi (dòng ${bad.map((r) => r.line).join(', ')}); chưa nhập ai. Hãy xem lại bản xem trước.`,
                },
              ],
              rows: bad,
            });
          const made: ImportedPerson[] = [];
          for (const r of rows) {
            const user: UserRow = {
              id: newId(),
              username: r.username,
              displayName: r.name,
              passwordHash: NO_PASSWORD,
              role: r.roleValue ?? 'volunteer',
              communeCode: admin.communeCode,
              teamId: r.teamId,
              active: true,
            };
            await tx.insertUser(user);
            // The same one-time enrolment as the per-person QR code (POST /admin/users/:id/enrolments).
            const token = newToken();
            await tx.insertEnrolment({
              tokenHash: hashToken(token),
              userId: user.id,
              createdBy: admin.id,
              createdAt: now.toISOString(),
              expiresAt,
              usedAt: null,
            });
            made.push({
              line: r.line,
              user: toAdminUser(user),
              teamName: r.teamName ?? '',
              enrolment: { token, userId: user.id, expiresAt },
            });
          }
          return made;
        });
      } catch (e) {
        // Another admin took one of the usernames meanwhile: the unique index refused it.
        if (
          !(e instanceof AppError) &&
          (await anyTaken(
            store,
            input.map((r) => r.values.username),
          ))
        )
          throw new AppError('username_taken');
        throw e;
      }
      audit(request, 'account_change', 'user:import', { created: people.length });
      audit(request, 'enrolment_create', 'user:import', { created: people.length });
      const out: ImportCommitResponse = { people };
      return reply.status(201).send(out);
    },
  );

  app.post('/admin/teams', { bodyLimit: BODY_LIMIT, config: ADMIN }, async (request, reply) => {
    const admin = currentUser(request);
    audit(request, 'account_change', 'team:new');
    const body = parseBody(TeamRequest, request.body);
    const team: AdminTeam = { id: newId(), name: cleanName('name', body.name) };
    screenFreeText(['name', TEAM_NAME, team.name]);
    await store.transaction((tx) => tx.insertTeam({ ...team, communeCode: admin.communeCode }));
    return reply.status(201).send(team);
  });

  app.post(
    '/admin/teams/:id',
    { bodyLimit: BODY_LIMIT, config: ADMIN },
    async (request): Promise<AdminTeam> => {
      const admin = currentUser(request);
      audit(request, 'account_change', `team:${paramId(request)}`);
      const id = paramId(request);
      const name = cleanName('name', parseBody(TeamRequest, request.body).name);
      screenFreeText(['name', TEAM_NAME, name]);
      await store.transaction(async (tx) => {
        const team = await tx.getTeam(id);
        if (!team || team.communeCode !== admin.communeCode) throw new AppError('not_found');
        await tx.renameTeam(id, name);
      });
      return { id, name };
    },
  );

  app.post('/admin/hamlets', { bodyLimit: BODY_LIMIT, config: ADMIN }, async (request, reply) => {
    const admin = currentUser(request);
    audit(request, 'account_change', 'hamlet:new');
    const body = parseBody(HamletRequest, request.body);
    if (body.name === undefined) throw fieldError('name', 'required', 'Vui lòng nhập tên.');
    const hamlet: AdminHamlet = { id: newId(), name: cleanName('name', body.name), active: true };
    screenFreeText(['name', HAMLET_NAME, hamlet.name]);
    await store.transaction(async (tx) => {
      const existing = await tx.listHamlets(admin.communeCode);
      const sortOrder = existing.reduce((max, h) => Math.max(max, h.sortOrder), 0) + 1;
      await tx.insertHamlet({ id: hamlet.id, communeCode: admin.communeCode, name: hamlet.name, sortOrder });
    });
    return reply.status(201).send(hamlet);
  });

  app.post(
    '/admin/hamlets/:id',
    { bodyLimit: BODY_LIMIT, config: ADMIN },
    async (request): Promise<AdminHamlet> => {
      const admin = currentUser(request);
      audit(request, 'account_change', `hamlet:${paramId(request)}`);
      const id = paramId(request);
      const body = parseBody(HamletRequest, request.body);
      const name = body.name === undefined ? undefined : cleanName('name', body.name);
      screenFreeText(['name', HAMLET_NAME, name]);
      return store.transaction(async (tx) => {
        const hamlet = await tx.getHamlet(id);
        if (!hamlet || hamlet.communeCode !== admin.communeCode) throw new AppError('not_found');
        await tx.updateHamlet(id, {
          ...(name !== undefined ? { name } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
        });
        return { id, name: name ?? hamlet.name, active: body.active ?? hamlet.active };
      });
    },
  );

  app.post(
    '/admin/devices/:id/revoke',
    { bodyLimit: 1024, config: ADMIN },
    async (request): Promise<AdminDevice> => {
      const admin = currentUser(request);
      audit(request, 'device_revoke', `device:${paramId(request)}`);
      const id = paramId(request);
      parseBody(EmptyRequest, request.body === undefined ? {} : request.body);
      return store.transaction(async (tx) => {
        const device = await tx.getDevice(id);
        const owner = device ? await tx.getUser(device.userId) : null;
        if (!device || !owner || owner.communeCode !== admin.communeCode) throw new AppError('not_found');
        // Revoking twice keeps the first revocation's time and author.
        await tx.revokeDevice(id, admin.id, new Date().toISOString());
        const after = await tx.getDevice(id);
        if (!after) throw new Error(`device ${id} vanished inside its own revocation`);
        return toAdminDevice(after);
      });
    },
  );
}
