// Server configuration from the environment and the command line, checked once at start so a typo
// fails loudly instead of half-working.
import { DEFAULT_MAX_MUTATIONS, MAX_MUTATIONS_CEILING, MAX_PUSH_MUTATIONS } from '../shared/index.ts';
import { DEFAULT_CONTACT_RETENTION_DAYS } from './privacy/retention.ts';
import { DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS } from './sync/retention.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  staticDir: string;
  demo: boolean;
  /** `--demo-activity`: with the demo commune, months of generated records, reviews and targets. */
  demoActivity: boolean;
  /** `--prune`: delete expired tombstones and push results, then exit (no server). */
  prune: boolean;
  /** `--setup <file>`: the first-run set-up from a JSON file (docs/setup.example.json), then exit. */
  setupFile: string | undefined;
  /** `--add-commune <file>`: one more commune of this deployment from the same file shape, then exit. */
  addCommuneFile: string | undefined;
  /** `--add-province-reader <name>`: a read-only account of the hosting province, then exit. */
  addProvinceReader: string | undefined;
  /** `--backup <dir>`: write an online backup folder into dir, then exit (no server). */
  backupDir: string | undefined;
  /** `--restore <backup folder>`: restore it into DATA_DIR / the schema, then exit (no server). */
  restoreFrom: string | undefined;
  /** `--force` with --restore: replace a database and key file that are there already. */
  force: boolean;
  /** Days tombstones and stored push results are kept (TOMBSTONE_RETENTION_DAYS). */
  retentionDays: number;
  logLevel: string;
  /** CORS_ORIGINS: origins allowed to call the API from another site; empty = CORS closed. */
  corsOrigins: string[];
  /** HSTS=1: send Strict-Transport-Security (only behind HTTPS). */
  hsts: boolean;
  /** TRUST_PROXY: addresses of the reverse proxy whose X-Forwarded-For is believed, or true/false. */
  trustProxy: boolean | string;
  /** Citizens' data: the key file (SOTAY_KEY_FILE, default DATA_DIR/sotay-keys.json). */
  keyFile: string | undefined;
  /** Days a follow-up contact is kept after its case closed (CONTACT_RETENTION_DAYS). */
  contactRetentionDays: number;
  /** The most mutations one push may carry, told to phones at login (MAX_MUTATIONS). */
  maxMutations: number;
  /** PostgreSQL connections per server process (PG_POOL_MAX); undefined: the store's default. */
  pgPoolMax: number | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const USAGE = `Usage: tsx src/server/cli.ts [--demo [--demo-activity] | --prune | --setup FILE | --add-commune FILE |
    --backup DIR | --restore FOLDER [--force]]

  --demo    seed a fictional demo commune into an empty database and print its accounts
  --demo-activity  with --demo: also about three months of generated records, reviews and targets
  --prune   delete tombstones and stored push results older than TOMBSTONE_RETENTION_DAYS, then exit
  --setup FILE        first-run set-up of an empty database from a JSON file (docs/setup.example.json), then exit
  --add-commune FILE  add one more commune with its first admin (same file shape), then exit
  --add-province-reader NAME  a read-only token of the hosting province (counts across communes), printed once, then exit
  --backup DIR  while the server runs: copy the database and the key file into DIR/sotay-backup-<time>/
  --restore FOLDER  with every server stopped: put a backup folder into an empty DATA_DIR or schema
  --force   with --restore: replace the database and key file that are there

  Without --demo, a server started on an empty database prints a one-time set-up link instead.

Environment:
  PORT          port to listen on (default 8080; 0 picks a free port)
  HOST          address to bind (default 0.0.0.0)
  DATA_DIR      directory of the SQLite database sotay.sqlite (default ./data)
  DATABASE_URL  postgres://user:pass@host:5432/db[?schema=name] to use PostgreSQL instead of SQLite
  STATIC_DIR    the built PWA to serve at / (default dist)
  TOMBSTONE_RETENTION_DAYS  days deletes are kept for phones still offline (default ${DEFAULT_RETENTION_DAYS}, at least ${MIN_RETENTION_DAYS})
  LOG_LEVEL     ${LOG_LEVELS.join(', ')} (default info; logs go to stderr)
  CORS_ORIGINS  comma-separated origins (https://host) allowed to call the API cross-site (default none)
  HSTS          1 to send Strict-Transport-Security; only when served over HTTPS (default 0)
  TRUST_PROXY   the reverse proxy's address(es), e.g. 127.0.0.1 or loopback, so client IPs are seen (default none)
  SOTAY_KEY_FILE  key file of citizens' data (default DATA_DIR/sotay-keys.json, created on first start; back it up)
  CONTACT_RETENTION_DAYS  days a follow-up contact is kept after its case closed (default ${DEFAULT_CONTACT_RETENTION_DAYS})
  MAX_MUTATIONS  the most changes a phone sends in one push (${MAX_PUSH_MUTATIONS}–${MAX_MUTATIONS_CEILING}, default ${DEFAULT_MAX_MUTATIONS})
  PG_POOL_MAX   PostgreSQL connections per server process (default 10; keep processes × this below max_connections)
  SOTAY_ADMIN_PASSWORD  with --setup or --add-commune: the first admin's password when the file has none`;

export function parseConfig(env: Record<string, string | undefined>, argv: readonly string[]): Config {
  let demo = false;
  let demoActivity = false;
  let prune = false;
  let setupFile: string | undefined;
  let addCommuneFile: string | undefined;
  let addProvinceReader: string | undefined;
  let backupDir: string | undefined;
  let restoreFrom: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--demo') demo = true;
    else if (arg === '--demo-activity') demoActivity = true;
    else if (arg === '--prune') prune = true;
    else if (arg === '--force') force = true;
    else if (arg === '--setup' || arg === '--add-commune') {
      const file = argv[i + 1];
      if (file === undefined || file.startsWith('--')) throw new ConfigError(`${arg} needs a JSON file.`);
      i += 1;
      if (arg === '--setup') setupFile = file;
      else addCommuneFile = file;
    } else if (arg === '--add-province-reader') {
      const name = argv[i + 1]?.trim();
      if (!name || name.startsWith('--') || name.length > 64)
        throw new ConfigError(`${arg} needs a name (1–64 characters).`);
      i += 1;
      addProvinceReader = name;
    } else if (arg === '--backup' || arg === '--restore') {
      const value = argv[i + 1];
      if (!value || value.startsWith('--')) throw new ConfigError(`${arg} needs a folder.\n\n${USAGE}`);
      i += 1;
      if (arg === '--backup') backupDir = value;
      else restoreFrom = value;
    } else throw new ConfigError(`Unknown argument "${arg}".\n\n${USAGE}`);
  }
  const modes = [demo, prune, setupFile, addCommuneFile, addProvinceReader, backupDir, restoreFrom].filter(
    (m) => m !== false && m !== undefined,
  ).length;
  if (modes > 1)
    throw new ConfigError(
      'Use only one of --demo, --prune, --setup, --add-commune, --add-province-reader, --backup and --restore.',
    );
  if (force && restoreFrom === undefined) throw new ConfigError('--force goes with --restore.');
  if (demoActivity && !demo) throw new ConfigError('--demo-activity goes with --demo.');
  const daysText = env.TOMBSTONE_RETENTION_DAYS?.trim() || String(DEFAULT_RETENTION_DAYS);
  const retentionDays = Number(daysText);
  if (!/^\d+$/.test(daysText) || retentionDays < MIN_RETENTION_DAYS)
    throw new ConfigError(
      `TOMBSTONE_RETENTION_DAYS must be a whole number of days, at least ${MIN_RETENTION_DAYS}, got "${daysText}".`,
    );
  const portText = env.PORT?.trim() || '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new ConfigError(`PORT must be a number from 0 to 65535, got "${portText}".`);
  const contactText = env.CONTACT_RETENTION_DAYS?.trim() || String(DEFAULT_CONTACT_RETENTION_DAYS);
  if (!/^\d+$/.test(contactText) || Number(contactText) < 1)
    throw new ConfigError(
      `CONTACT_RETENTION_DAYS must be a whole number of days, at least 1, got "${contactText}".`,
    );
  const maxText = env.MAX_MUTATIONS?.trim() || String(DEFAULT_MAX_MUTATIONS);
  const maxMutations = Number(maxText);
  if (!/^\d+$/.test(maxText) || maxMutations < MAX_PUSH_MUTATIONS || maxMutations > MAX_MUTATIONS_CEILING)
    throw new ConfigError(
      `MAX_MUTATIONS must be a whole number from ${MAX_PUSH_MUTATIONS} to ${MAX_MUTATIONS_CEILING}, got "${maxText}".`,
    );
  const poolText = env.PG_POOL_MAX?.trim() || undefined;
  const pgPoolMax = poolText === undefined ? undefined : Number(poolText);
  if (poolText !== undefined && (!/^\d+$/.test(poolText) || Number(poolText) < 1 || Number(poolText) > 100))
    throw new ConfigError(`PG_POOL_MAX must be a whole number from 1 to 100, got "${poolText}".`);
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}".`);
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of corsOrigins)
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      throw new ConfigError(`CORS_ORIGINS takes origins like https://example.vn (no path), got "${origin}".`);
  const hstsText = env.HSTS?.trim() || '0';
  if (hstsText !== '0' && hstsText !== '1') throw new ConfigError(`HSTS must be 0 or 1, got "${hstsText}".`);
  const proxyText = env.TRUST_PROXY?.trim() || '';
  const trustProxy =
    proxyText === '' || proxyText === 'false' ? false : proxyText === 'true' ? true : proxyText;
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: env.DATA_DIR?.trim() || './data',
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    staticDir: env.STATIC_DIR?.trim() || 'dist',
    demo,
    demoActivity,
    prune,
    setupFile,
    addCommuneFile,
    addProvinceReader,
    backupDir,
    restoreFrom,
    force,
    retentionDays,
    logLevel,
    corsOrigins,
    hsts: hstsText === '1',
    trustProxy,
    keyFile: env.SOTAY_KEY_FILE?.trim() || undefined,
    contactRetentionDays: Number(contactText),
    maxMutations,
    pgPoolMax,
  };
}

/** The URL to print: a wildcard bind address is reachable on loopback. */
export function displayUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
