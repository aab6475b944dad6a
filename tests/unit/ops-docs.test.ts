// The operations guide as an installer follows it literally: its backup, restore and service
// commands agree with the shipped service files (docs/ops/) on paths, user and environment.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMPORT_BODY_LIMIT } from '../../src/shared/people-import.ts';

const guide = readFileSync('docs/operations.md', 'utf8');
const envFile = readFileSync('docs/ops/sotay.env', 'utf8');
const unit = readFileSync('docs/ops/sotay.service', 'utf8');

function envValue(name: string): string {
  const line = envFile.split('\n').find((l) => l.startsWith(`${name}=`));
  if (line === undefined) throw new Error(`docs/ops/sotay.env sets no ${name}`);
  return line.slice(name.length + 1);
}

/** The `# /etc/systemd/system/<name>` block of the guide's ini listing, up to the next such header. */
function iniBlock(name: string): string {
  const start = guide.indexOf(`# /etc/systemd/system/${name}`);
  if (start < 0) throw new Error(`the guide shows no ${name}`);
  const rest = guide.slice(start + 1);
  const end = rest.search(/\n# \/etc\/systemd\/system\/|\n```/);
  return rest.slice(0, end);
}

describe('docs/operations.md against docs/ops/', () => {
  it('names no data directory other than the one the service runs with', () => {
    const dataDir = envValue('DATA_DIR');
    const named = [...guide.matchAll(/DATA_DIR=(\/\S+)/g)].map((m) => m[1]);
    expect(named.filter((d) => d !== dataDir)).toEqual([]);
  });

  it("runs the backup unit as the service's user with the service's environment file", () => {
    const backup = iniBlock('sotay-backup.service');
    const user = /^User=(\S+)$/m.exec(unit)?.[1];
    const envPath = /^EnvironmentFile=(\S+)$/m.exec(unit)?.[1];
    expect(backup).toMatch(new RegExp(`^User=${user ?? '-'}$`, 'm'));
    expect(backup).toMatch(new RegExp(`^EnvironmentFile=${envPath ?? '-'}$`, 'm'));
    // Node itself, as the service does: npx would write its cache and logs in the user's home,
    // which is the data directory.
    expect(backup).toMatch(/^ExecStart=\/usr\/bin\/node --import tsx src\/server\/cli\.ts --backup \S+$/m);
  });

  it('creates the backup directory for the service user before the timer writes into it', () => {
    const dir = /--backup (\/\S+)$/m.exec(iniBlock('sotay-backup.service'))?.[1] ?? '';
    expect(dir).not.toBe('');
    expect(guide).toContain(`sudo install -d -o sotay -g sotay -m 0700 ${dir}`);
  });

  it('lets through every proxy the largest body a route takes, a people import', () => {
    // Caddy's sizes (go-humanize): kB/MB are powers of 1000, KiB/MiB of 1024; nginx's k/m are 1024.
    const caddyUnit: Record<string, number> = { kb: 1e3, mb: 1e6, kib: 1024, mib: 1024 ** 2 };
    const nginxUnit: Record<string, number> = { k: 1024, m: 1024 ** 2 };
    const sources = {
      'docs/ops/Caddyfile': readFileSync('docs/ops/Caddyfile', 'utf8'),
      'docs/ops/Caddyfile.lan': readFileSync('docs/ops/Caddyfile.lan', 'utf8'),
      'docs/operations.md': guide,
    };
    const limits: { where: string; bytes: number }[] = [];
    for (const [where, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/max_size (\d+)([A-Za-z]+)/g))
        limits.push({ where, bytes: Number(m[1]) * (caddyUnit[(m[2] ?? '').toLowerCase()] ?? NaN) });
      for (const m of text.matchAll(/client_max_body_size (\d+)([km])/g))
        limits.push({ where, bytes: Number(m[1]) * (nginxUnit[m[2] ?? ''] ?? NaN) });
    }
    expect(limits.length).toBeGreaterThanOrEqual(5);
    expect(limits.filter((l) => !(l.bytes >= IMPORT_BODY_LIMIT))).toEqual([]);
  });

  it('gives the restored data directory back to the service user', () => {
    const dataDir = envValue('DATA_DIR');
    const restoring = guide.slice(guide.indexOf('### Restoring'), guide.indexOf('## Upgrading'));
    expect(restoring).toContain('--restore');
    expect(restoring).toContain(`chown -R sotay:sotay ${dataDir}`);
  });
});
