// Small pure pieces: password hashing, tokens, configuration, the error mapping, DATABASE_URL,
// PostgreSQL error classes, gzip negotiation, retention, storable text, conflict pages.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/index.ts';
import { hashPassword, verifyPassword } from '../../src/server/auth/password.ts';
import { bearerToken, hashToken, newToken } from '../../src/server/auth/tokens.ts';
import { ConfigError, displayUrl, parseConfig } from '../../src/server/config.ts';
import { acceptsGzip } from '../../src/server/http/compression.ts';
import { codeOf } from '../../src/server/http/errors.ts';
import { isRetryable, isTemporary, storeError } from '../../src/server/store/postgres/errors.ts';
import { parsePostgresUrl } from '../../src/server/store/postgres/url.ts';
import { StoreConfigError, TemporaryStoreError, type HistoryRow } from '../../src/server/store/store.ts';
import { conflictFilter, conflictsOf, pageByVersion } from '../../src/server/sync/history.ts';
import { RetentionError, pruneCutoff } from '../../src/server/sync/retention.ts';
import { isStorable, unstorableFields } from '../../src/server/sync/storable.ts';

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('mật khẩu');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('mật khẩu', stored)).toBe(true);
    expect(await verifyPassword('mat khau', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('demo')).not.toBe(await hashPassword('demo'));
  });

  it('answers false for a malformed stored hash instead of throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$1$2$3$$', 'scrypt$99999999$8$1$AAAA$AAAA'])
      expect(await verifyPassword('demo', bad)).toBe(false);
  });
});

describe('tokens', () => {
  it('makes 43-character base64url tokens and stores only their SHA-256', () => {
    const t = newToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
  });

  it('reads only a well-formed Bearer header', () => {
    const t = newToken();
    expect(bearerToken(`Bearer ${t}`)).toBe(t);
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken(`Basic ${t}`)).toBeNull();
    expect(bearerToken('Bearer short')).toBeNull();
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(parseConfig({}, [])).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: './data',
      databaseUrl: undefined,
      staticDir: 'dist',
      demo: false,
      demoActivity: false,
      prune: false,
      setupFile: undefined,
      addCommuneFile: undefined,
      backupDir: undefined,
      restoreFrom: undefined,
      force: false,
      retentionDays: 365,
      logLevel: 'info',
      corsOrigins: [],
      hsts: false,
      trustProxy: false,
      keyFile: undefined,
      contactRetentionDays: 60,
      maxMutations: 1000,
    });
  });

  it('reads MAX_MUTATIONS within the protocol floor and ceiling', () => {
    expect(parseConfig({ MAX_MUTATIONS: '250' }, [])).toMatchObject({ maxMutations: 250 });
    expect(() => parseConfig({ MAX_MUTATIONS: '99' }, [])).toThrow(/MAX_MUTATIONS/);
    expect(() => parseConfig({ MAX_MUTATIONS: '5001' }, [])).toThrow(ConfigError);
    expect(() => parseConfig({ MAX_MUTATIONS: 'many' }, [])).toThrow(ConfigError);
  });

  it('reads the key file and the contact retention, and refuses a retention that is not whole days', () => {
    expect(
      parseConfig({ SOTAY_KEY_FILE: '/etc/sotay/keys.json', CONTACT_RETENTION_DAYS: '30' }, []),
    ).toMatchObject({
      keyFile: '/etc/sotay/keys.json',
      contactRetentionDays: 30,
    });
    expect(() => parseConfig({ CONTACT_RETENTION_DAYS: '0' }, [])).toThrow(ConfigError);
    expect(() => parseConfig({ CONTACT_RETENTION_DAYS: 'two months' }, [])).toThrow(/CONTACT_RETENTION_DAYS/);
  });

  it('reads --prune and a retention period, and refuses one under 180 days or with --demo', () => {
    expect(parseConfig({ TOMBSTONE_RETENTION_DAYS: '200' }, ['--prune'])).toMatchObject({
      prune: true,
      retentionDays: 200,
    });
    expect(() => parseConfig({ TOMBSTONE_RETENTION_DAYS: '179' }, [])).toThrow(/at least 180/);
    expect(() => parseConfig({ TOMBSTONE_RETENTION_DAYS: 'a year' }, [])).toThrow(ConfigError);
    expect(() => parseConfig({}, ['--demo', '--prune'])).toThrow(ConfigError);
  });

  it('reads --demo-activity only together with --demo', () => {
    expect(parseConfig({}, ['--demo', '--demo-activity'])).toMatchObject({ demo: true, demoActivity: true });
    expect(parseConfig({}, ['--demo'])).toMatchObject({ demo: true, demoActivity: false });
    expect(() => parseConfig({}, ['--demo-activity'])).toThrow(ConfigError);
  });

  it('reads the environment and --demo', () => {
    const c = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: '/tmp/x', STATIC_DIR: 'build' }, [
      '--demo',
    ]);
    expect(c).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      dataDir: '/tmp/x',
      staticDir: 'build',
      demo: true,
    });
  });

  it('refuses a bad port, an unknown flag and an unknown log level', () => {
    expect(() => parseConfig({ PORT: '70000' }, [])).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: '-1' }, [])).toThrow(ConfigError);
    expect(() => parseConfig({}, ['--dmeo'])).toThrow(/Unknown argument/);
    expect(() => parseConfig({ LOG_LEVEL: 'loud' }, [])).toThrow(ConfigError);
  });

  it('prints a loopback URL for a wildcard bind address', () => {
    expect(displayUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080');
    expect(displayUrl('192.168.1.5', 80)).toBe('http://192.168.1.5:80');
  });
});

describe('error mapping', () => {
  it('maps Fastify body errors to catalogue codes and unknown failures to internal', () => {
    expect(codeOf(new AppError('forbidden'))).toBe('forbidden');
    expect(codeOf({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).toBe('payload_too_large');
    expect(codeOf({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 })).toBe('invalid_json');
    expect(codeOf({ code: 'SQLITE_BUSY' })).toBe('unavailable');
    expect(codeOf(new TemporaryStoreError('PostgreSQL is unavailable'))).toBe('unavailable');
    expect(codeOf(new Error('boom'))).toBe('internal');
  });
});

describe('DATABASE_URL', () => {
  it('takes the schema out of the URL and keeps the rest for pg', () => {
    expect(parsePostgresUrl('postgres://u:p@db:5432/sotay?schema=xa_99001&sslmode=require')).toEqual({
      connectionString: 'postgres://u:p@db:5432/sotay?sslmode=require',
      schema: 'xa_99001',
    });
    expect(parsePostgresUrl('postgresql://db/sotay').schema).toBeNull();
  });

  it('refuses a schema name that would need quoting, without repeating the password', () => {
    expect(() => parsePostgresUrl('postgres://u:secret@db/x?schema=Bad-Name')).toThrow(StoreConfigError);
    expect(() => parsePostgresUrl('postgres://u:secret@db/x?schema=a;drop')).toThrow(/not a plain name/);
    try {
      parsePostgresUrl('postgres://u:secret@[bad');
    } catch (e) {
      expect(String(e)).not.toContain('secret');
    }
  });
});

describe('PostgreSQL failures', () => {
  it('treats lost connections, shutdowns, timeouts and exhausted retries as temporary', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '08006', '53300', '55P03', '57014', '40001'])
      expect(isTemporary({ code })).toBe(true);
    expect(isTemporary(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTemporary(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(storeError(new Error('Connection terminated unexpectedly'))).toBeInstanceOf(TemporaryStoreError);
  });

  it('keeps bugs and bad data as they are, and retries only serialization failures and deadlocks', () => {
    for (const code of ['23505', '42P01', '22P02']) expect(isTemporary({ code })).toBe(false);
    const bug = new Error('boom');
    expect(storeError(bug)).toBe(bug);
    expect(isRetryable({ code: '40001' })).toBe(true);
    expect(isRetryable({ code: '40P01' })).toBe(true);
    expect(isRetryable({ code: '57P01' })).toBe(false);
  });
});

describe('gzip negotiation', () => {
  it('accepts gzip unless its quality is zero', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe('retention', () => {
  it('cuts off the given number of days before now, never fewer than 180', () => {
    const now = new Date('2027-06-30T00:00:00.000Z');
    expect(pruneCutoff(now, 365)).toBe('2026-06-30T00:00:00.000Z');
    expect(pruneCutoff(now, 180)).toBe('2027-01-01T00:00:00.000Z');
    expect(() => pruneCutoff(now, 179)).toThrow(RetentionError);
    expect(() => pruneCutoff(now, 200.5)).toThrow(RetentionError);
  });
});

describe('storable text', () => {
  it('refuses U+0000 and lone surrogates anywhere, and accepts Vietnamese and emoji', () => {
    expect(isStorable({ note: 'Bà Năm 👵 đã được hỗ trợ' })).toBe(true);
    expect(isStorable({ note: 'a\u0000b' })).toBe(false);
    expect(isStorable(['\ud800'])).toBe(false);
    expect(isStorable({ ['k\u0000']: 1 })).toBe(false);
    expect(unstorableFields({ clientId: 'x\u0000', mutations: ['\u0000'] }, ['mutations'])).toEqual([
      'clientId',
    ]);
  });
});

describe('conflict listing', () => {
  const row = (id: number, version: number, lost: Record<string, unknown> | null): HistoryRow => ({
    id,
    recordId: '01a2205b-e74b-7730-ada2-8b9101c30011',
    version,
    mutationId: null,
    userId: 'u1',
    op: 'update',
    patch: {},
    replaced: {},
    lost,
    won: lost ? { note: { value: 'lead', by: 'u2', role: 'lead' } } : null,
    at: '2026-11-28T00:00:00.000Z',
  });

  it('gives one entry per lost field with its winner, skipping damaged stored values', () => {
    const entries = conflictsOf(
      row(1, 5, {
        note: { value: 'vol', by: 'u1', role: 'volunteer' },
        place: { value: 1, by: 'u1', role: 'x' },
      }),
    );
    expect(entries).toEqual([
      {
        recordId: '01a2205b-e74b-7730-ada2-8b9101c30011',
        version: 5,
        at: '2026-11-28T00:00:00.000Z',
        field: 'note',
        winner: { value: 'lead', by: 'u2', role: 'lead' },
        loser: { value: 'vol', by: 'u1', role: 'volunteer' },
      },
    ]);
  });

  it('never ends a page inside a version', () => {
    const lost = { note: { value: 'v', by: 'u1', role: 'volunteer' } };
    const rows = [row(1, 3, lost), row(2, 4, lost), row(3, 4, lost), row(4, 5, lost)];
    expect(pageByVersion(rows, 2)).toEqual({ page: [rows[0]], hasMore: true });
    expect(pageByVersion(rows, 4)).toEqual({ page: rows, hasMore: false });
  });

  it('reads since as a version or a date, and refuses a limit out of range', () => {
    expect(conflictFilter({ since: '42' })).toEqual({ afterVersion: 42, limit: 200 });
    expect(conflictFilter({ since: '2026-11-01', limit: '10' })).toEqual({
      since: '2026-11-01T00:00:00.000Z',
      limit: 10,
    });
    expect(() => conflictFilter({ limit: '5000' })).toThrow(AppError);
  });
});
