// The real entry point as a child process: the `listening at` line, demo seeding only into an empty
// database, no demo accounts without --demo, and a clean stop on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/server/store/open.ts';
import { removeDir, tempDir } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const root = tempDir();
afterAll(() => removeDir(root));

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
}

function start(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(TSX, ['src/server/cli.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STATIC_DIR: join(dataDir, 'none'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line; stdout: ${out}; stderr: ${err}`)),
      15_000,
    );
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening at (http:\/\/\S+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stdout: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}; stdout: ${out}; stderr: ${err}`));
    });
  });
}

function stop(r: Running): Promise<number | null> {
  return new Promise((resolve) => {
    r.child.removeAllListeners('exit');
    r.child.on('exit', (code) => resolve(code));
    r.child.kill('SIGTERM');
  });
}

async function loginStatus(url: string, username: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  return res.status;
}

describe('the CLI', () => {
  it('seeds the demo commune into an empty database, prints the accounts and one listening line', async () => {
    const dataDir = join(root, 'demo');
    const r = await start(dataDir, ['--demo']);
    try {
      expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(r.stdout().match(/listening at/g)).toHaveLength(1);
      expect(r.stdout()).toContain('demo-tnv');
      expect(await loginStatus(r.url, 'demo-tnv')).toBe(200);
      expect(existsSync(join(dataDir, 'sotay.sqlite'))).toBe(true);
    } finally {
      expect(await stop(r)).toBe(0);
    }
    // A second demo start on the same database seeds nothing more and keeps working.
    const again = await start(dataDir, ['--demo']);
    try {
      expect(again.stdout()).toContain('không tạo thêm dữ liệu demo');
      expect(await loginStatus(again.url, 'demo-tnv')).toBe(200);
    } finally {
      await stop(again);
    }
  });

  it('creates no demo account without --demo', async () => {
    const dataDir = join(root, 'plain');
    const r = await start(dataDir, []);
    try {
      expect(r.stdout()).not.toContain('demo-tnv');
      expect(await loginStatus(r.url, 'demo-tnv')).toBe(401);
      const health = await fetch(`${r.url}/api/health`);
      expect(health.status).toBe(200);
    } finally {
      await stop(r);
    }
  });

  it('seeds no demo data into a database that already holds a commune', async () => {
    const dataDir = join(root, 'existing');
    const store = openStore({ dataDir });
    await store.migrate();
    await store.transaction((tx) => tx.insertCommune('99002', 'Xã Thử Nghiệm'));
    await store.close();
    const demo = await start(dataDir, ['--demo']);
    try {
      expect(demo.stdout()).not.toContain('demo-tnv');
      expect(await loginStatus(demo.url, 'demo-tnv')).toBe(401);
    } finally {
      await stop(demo);
    }
  });

  it('refuses a postgres DATABASE_URL with a clear message', async () => {
    const dataDir = join(root, 'pg');
    await expect(start(dataDir, [], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' })).rejects.toThrow(
      /PostgreSQL store not yet available/,
    );
  });

  it('refuses a bad PORT with a clear message', async () => {
    await expect(start(join(root, 'port'), [], { PORT: 'eighty' })).rejects.toThrow(/PORT must be a number/);
  });
});
