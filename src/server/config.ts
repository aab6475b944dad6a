// Server configuration from the environment and the command line, checked once at start so a typo
// fails loudly instead of half-working.
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  staticDir: string;
  demo: boolean;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const USAGE = `Usage: tsx src/server/cli.ts [--demo]

  --demo   seed a fictional demo commune into an empty database and print its accounts

Environment:
  PORT          port to listen on (default 8080; 0 picks a free port)
  HOST          address to bind (default 0.0.0.0)
  DATA_DIR      directory of the SQLite database sotay.sqlite (default ./data)
  DATABASE_URL  postgres://… to use PostgreSQL (not yet available)
  STATIC_DIR    the built PWA to serve at / (default dist)
  LOG_LEVEL     ${LOG_LEVELS.join(', ')} (default info; logs go to stderr)`;

export function parseConfig(env: Record<string, string | undefined>, argv: readonly string[]): Config {
  let demo = false;
  for (const arg of argv) {
    if (arg === '--demo') demo = true;
    else throw new ConfigError(`Unknown argument "${arg}".\n\n${USAGE}`);
  }
  const portText = env.PORT?.trim() || '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new ConfigError(`PORT must be a number from 0 to 65535, got "${portText}".`);
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}".`);
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: env.DATA_DIR?.trim() || './data',
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    staticDir: env.STATIC_DIR?.trim() || 'dist',
    demo,
    logLevel,
  };
}

/** The URL to print: a wildcard bind address is reachable on loopback. */
export function displayUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
