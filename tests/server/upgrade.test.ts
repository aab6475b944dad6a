// Upgrade from the previous release: its database and key file (tests/fixtures/release-7363491) put
// under today's server, started as people start it, migrate and keep every record, login and count.
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse, PullResponse, PushResponse, TallyResponse } from '../../src/shared/index.ts';
import { sealedCitizen } from '../support/citizen-ids.ts';
import { start, stop, type Running } from './cli-process.ts';
import {
  SHIPPED_MIGRATIONS,
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  pgClient,
  postgresUrl,
  removeDir,
  requestAt,
  tempDir,
} from './harness.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/release-7363491/', import.meta.url));
/** The schema the PostgreSQL fixture was dumped from; each run loads it under a name of its own. */
const FIXTURE_SCHEMA = 'sotay_release_7363491';
const OLD_IDS = [1, 2, 3, 4].map((n) => `0193a000-0000-7000-8000-00000000000${n}`);
/** The ID number of fixture records …01 and …02 (made up; see the fixture's README). */
const ID_A = '001099012345';

describe.each(STORE_KINDS)('a %s database of the previous release (7363491)', (kind) => {
  let dataDir = '';
  let schema = '';
  let server: Running;

  beforeAll(async () => {
    dataDir = tempDir('sotay-upgrade-');
    cpSync(join(FIXTURE, kind, 'sotay-keys.json'), join(dataDir, 'sotay-keys.json'));
    let env: Record<string, string> = {};
    if (kind === 'sqlite') cpSync(join(FIXTURE, 'sqlite', 'sotay.sqlite'), join(dataDir, 'sotay.sqlite'));
    else {
      // The plain-SQL dump of the old release's schema, loaded under this run's own schema name.
      schema = `t_up_${randomBytes(4).toString('hex')}`;
      const sql = readFileSync(join(FIXTURE, 'postgres', 'sotay-postgres.sql'), 'utf8').replaceAll(
        FIXTURE_SCHEMA,
        schema,
      );
      const client = await pgClient();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
      env = { DATABASE_URL: postgresUrl(schema) };
    }
    server = await start(dataDir, [], env);
  }, 60_000);
  afterAll(async () => {
    if (server) await stop(server);
    removeDir(dataDir);
    if (schema) {
      const client = await pgClient();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  /** The rows of one query on the upgraded database. */
  const query = async <T>(sql: string): Promise<T[]> => {
    if (kind === 'postgres') {
      const client = await pgClient(schema);
      try {
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end();
      }
    }
    const db = new Database(join(dataDir, 'sotay.sqlite'), { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const login = async (username: string) => {
    const res = await requestAt<LoginResponse>(server.url, '/api/v1/auth/login', {
      body: { username, password: 'demo' },
    });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const tally = async (token: string) => {
    const res = await requestAt<TallyResponse>(server.url, '/api/v1/tallies?from=2026-11-01&to=2026-11-30', {
      token,
    });
    expect(res.status, res.text).toBe(200);
    return res.body.total;
  };

  it('applies every migration since, in the ledger', async () => {
    const shipped = readdirSync(SHIPPED_MIGRATIONS[kind]).filter((f) => f.endsWith('.sql'));
    const applied = (await query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map(
      (r) => r.name,
    );
    expect(applied).toEqual([...shipped].sort());
    expect(applied).toContain('20261207-01-citizen-secrets-to-key-file.sql');
  });

  it('moves the commune secret from the database to the key file', async () => {
    const file = JSON.parse(readFileSync(join(dataDir, 'sotay-keys.json'), 'utf8')) as {
      citizenSecrets?: Record<string, string>;
    };
    expect(Object.keys(file.citizenSecrets ?? {})).toEqual(['99001']);
    const [left] = await query<{ n: number | string }>(
      'SELECT count(*) AS n FROM communes WHERE legacy_citizen_secret IS NOT NULL',
    );
    expect(Number(left?.n)).toBe(0);
  });

  it('lets the demo users log in and keeps every old record with its citizens counted', async () => {
    const tnv = await login('demo-tnv');
    const pulled = await requestAt<PullResponse>(server.url, '/api/v1/sync/pull', {
      token: tnv.token,
      body: { clientId: clientId(), cursor: null },
    });
    expect(pulled.status, pulled.text).toBe(200);
    const live = pulled.body.changes.filter((c) => !c.deleted).map((c) => c.id);
    expect(live.sort()).toEqual(OLD_IDS);
    const admin = await login('demo-admin');
    expect(await tally(admin.token)).toEqual({ count: 4, citizens: 2 });
    const contact = await requestAt<{ contact: { name: string } | null }>(
      server.url,
      `/api/v1/records/${OLD_IDS[2]}/contact`,
      { token: admin.token },
    );
    expect(contact.status, contact.text).toBe(200);
    expect(contact.body.contact?.name).toBe('Người Thử Nghiệm Một');
  });

  it('counts a new sealed create of an old record’s ID number as the same citizen', async () => {
    const tnv = await login('demo-tnv');
    const record = fakeRecord({ occurredOn: '2026-11-25' });
    Object.assign(record, await sealedCitizen(tnv.commune.contactKey, record.id, ID_A));
    const res = await requestAt<PushResponse>(server.url, '/api/v1/sync/push', {
      token: tnv.token,
      body: { clientId: clientId(), schemaVersion: 1, mutations: [createOf(record, 1)] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results[0]?.status).toBe('applied');
    const admin = await login('demo-admin');
    expect(await tally(admin.token)).toEqual({ count: 5, citizens: 2 });
  });
});
