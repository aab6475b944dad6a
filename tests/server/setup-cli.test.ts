// The set-up through the real CLI process on both stores: the set-up link printed at each start
// while no commune exists, `--setup <file>`, and a host operator's `--add-commune <file>`, whose
// commune's admin logs in and whose volunteer pushes a sealed ID number keyed with the key file.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorResponse, type LoginResponse, type PushResponse } from '../../src/shared/index.ts';
import { loadOrCreateKeys } from '../../src/server/privacy/keys.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import { run, start, stop } from './cli-process.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  removeDir,
  requestAt,
  tempDir,
  testDatabase,
  type TestDatabase,
} from './harness.ts';

const root = tempDir();
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
  removeDir(root);
});

const PASSWORD = 'mat-khau-thu-1';
const SETUP_LINE = /^Thiết lập lần đầu .*(http:\/\/\S+\/setup#([A-Za-z0-9_-]{43}))$/m;

function setupFile(dir: string, name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function commune(code: string, username: string, withPassword = true) {
  return {
    commune: { code, name: `Xã Thử ${code}` },
    hamlets: ['Thôn Một', 'Thôn Hai'],
    teams: ['Tổ CNS số 1'],
    admin: { displayName: 'Quản Trị Thử', username, ...(withPassword ? { password: PASSWORD } : {}) },
  };
}

async function login(url: string, username: string, password = PASSWORD) {
  return requestAt<LoginResponse>(url, '/api/v1/auth/login', { body: { username, password } });
}

describe.each(STORE_KINDS)('set-up through the CLI on %s', (kind) => {
  it('prints one set-up link while no commune exists, a new one at each start, and the page set-up works', async () => {
    const db = await testDatabase(kind);
    databases.push(db);
    const dataDir = join(root, `${kind}-link`);
    const first = await start(dataDir, [], db.env());
    const oldToken = SETUP_LINE.exec(first.stdout())?.[2] ?? '';
    try {
      const lines = first.stdout().match(new RegExp(SETUP_LINE.source, 'gm')) ?? [];
      expect(lines).toHaveLength(1);
      const m = SETUP_LINE.exec(first.stdout());
      expect(m?.[1]?.startsWith(`${first.url}/setup#`)).toBe(true);
      expect(oldToken).not.toBe('');
      const health = await requestAt<{ setup: string }>(first.url, '/api/health');
      expect(health.body.setup).toBe('pending');
      const refused = await login(first.url, 'qt-thu');
      expect(refused.status).toBe(503);
      expect(ErrorResponse.parse(refused.body).error.code).toBe('setup_pending');
    } finally {
      await stop(first);
    }
    // A restart prints another link; both stay valid until the set-up is done.
    const second = await start(dataDir, [], db.env());
    try {
      const newToken = SETUP_LINE.exec(second.stdout())?.[2] ?? '';
      expect(newToken).not.toBe('');
      expect(newToken).not.toBe(oldToken);
      const done = await requestAt(second.url, '/api/setup', {
        body: { token: oldToken, ...commune('26701', 'qt-link') },
      });
      expect(done.status, done.text).toBe(201);
      expect((await login(second.url, 'qt-link')).status).toBe(200);
      // Spent: neither link sets anything up again.
      for (const token of [oldToken, newToken]) {
        const again = await requestAt(second.url, '/api/setup', {
          body: { token, ...commune('26702', 'qt-x') },
        });
        expect(again.status).toBe(409);
      }
    } finally {
      await stop(second);
    }
    // Set up: no link any more.
    const third = await start(dataDir, [], db.env());
    try {
      expect(third.stdout()).not.toMatch(/setup#/);
    } finally {
      await stop(third);
    }
  }, 120_000);

  it('sets up from a file, refuses a bad file naming the field in Vietnamese, and refuses a second set-up', async () => {
    const db = await testDatabase(kind);
    databases.push(db);
    const dataDir = join(root, `${kind}-file`);
    const dir = tempDir();
    try {
      const bad = setupFile(dir, 'bad.json', {
        ...commune('2670', 'qt-file'),
        teams: 'Tổ 001099012345',
      });
      const refused = await run(dataDir, ['--setup', bad], db.env());
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('commune.code: Mã xã/phường gồm đúng 5 chữ số');
      expect(refused.stderr).toContain('teams:');
      expect(refused.stderr).toContain('số định danh');
      expect(await db.count('communes')).toBe(0);

      // The password from the environment, so the file holds none.
      const good = setupFile(dir, 'good.json', commune('26703', 'qt-file', false));
      const made = await run(dataDir, ['--setup', good], { ...db.env(), SOTAY_ADMIN_PASSWORD: PASSWORD });
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toContain('Đã tạo Xã Thử 26703 (mã 26703)');
      expect(await db.count('hamlets')).toBe(2);

      const twice = await run(
        dataDir,
        ['--setup', setupFile(dir, 'b.json', commune('26704', 'qt-b'))],
        db.env(),
      );
      expect(twice.code).not.toBe(0);
      expect(twice.stderr).toContain('đã được thiết lập rồi');
      expect(await db.count('communes')).toBe(1);

      const server = await start(dataDir, [], db.env());
      try {
        expect(server.stdout()).not.toMatch(/setup#/);
        expect((await login(server.url, 'qt-file')).status).toBe(200);
      } finally {
        await stop(server);
      }
    } finally {
      removeDir(dir);
    }
  }, 120_000);

  it('adds another commune whose admin logs in and whose volunteer pushes a sealed ID number; refuses a taken code or username', async () => {
    const db = await testDatabase(kind);
    databases.push(db);
    const dataDir = join(root, `${kind}-add`);
    const dir = tempDir();
    try {
      expect(
        (await run(dataDir, ['--setup', setupFile(dir, 'a.json', commune('26705', 'qt-a'))], db.env())).code,
      ).toBe(0);
      const added = await run(
        dataDir,
        ['--add-commune', setupFile(dir, 'b.json', commune('26706', 'qt-b'))],
        db.env(),
      );
      expect(added.code, added.stderr).toBe(0);

      const dupCode = await run(
        dataDir,
        ['--add-commune', setupFile(dir, 'c.json', commune('26706', 'qt-c'))],
        db.env(),
      );
      expect(dupCode.code).not.toBe(0);
      expect(dupCode.stderr).toContain('commune.code: Mã xã/phường này đã có trên máy chủ.');
      const dupUser = await run(
        dataDir,
        ['--add-commune', setupFile(dir, 'd.json', commune('26707', 'qt-a'))],
        db.env(),
      );
      expect(dupUser.code).not.toBe(0);
      expect(dupUser.stderr).toContain('admin.username: Tên đăng nhập này đã có người dùng');
      expect(await db.count('communes')).toBe(2);
      expect(await db.count('users')).toBe(2);

      const server = await start(dataDir, [], db.env());
      try {
        const admin = await login(server.url, 'qt-b');
        expect(admin.status, admin.text).toBe(200);
        expect(admin.body.commune.code).toBe('26706');
        const dir2 = await requestAt<{ teams: { id: string }[] }>(server.url, '/api/v1/admin/directory', {
          token: admin.body.token,
        });
        const teamId = dir2.body.teams[0]?.id ?? '';
        const made = await requestAt(server.url, '/api/v1/admin/users', {
          token: admin.body.token,
          body: {
            username: 'tnv-b',
            displayName: 'Tình Nguyện Viên B',
            role: 'volunteer',
            teamId,
            password: PASSWORD,
          },
        });
        expect(made.status, made.text).toBe(201);
        const tnv = await login(server.url, 'tnv-b');
        expect(tnv.status).toBe(200);
        const hamletId = tnv.body.commune.hamlets[0]?.id ?? '';
        const n = fakeIdNumber();
        const r = fakeRecord({ occurredOn: '2025-10-02', hamletId });
        Object.assign(r, await sealedCitizen(tnv.body.commune.contactKey, r.id, n));
        const push = await requestAt<PushResponse>(server.url, '/api/v1/sync/push', {
          token: tnv.body.token,
          body: { clientId: clientId(), schemaVersion: 1, mutations: [createOf(r, 1)] },
        });
        expect(push.status, push.text).toBe(200);
        expect(push.body.results.map((x) => x.status)).toEqual(['applied']);
        // Keyed with the new commune's secret from the key file, as every process would key it.
        // The server's key file: in its DATA_DIR (the SQLite database's directory on SQLite).
        const keyDir = kind === 'sqlite' ? db.name : dataDir;
        const { keys, created } = await loadOrCreateKeys(join(keyDir, 'sotay-keys.json'));
        expect(created).toBe(false);
        const expected = createHmac('sha256', keys.citizen.secretOf('26706')).update(n, 'utf8').digest('hex');
        const store = db.open();
        try {
          expect((await store.getRecord(r.id))?.data.citizenKey).toBe(expected);
        } finally {
          await store.close();
        }
      } finally {
        await stop(server);
      }
    } finally {
      removeDir(dir);
    }
  }, 120_000);
});
