// The reporting tests' shared setup (docs/reporting.md): a small fixture whose counts were made by
// hand, pushed by three phones into a fresh database of each store kind, one per test file.
import { afterAll, expect } from 'vitest';
import type { LogRecord, TallyResponse } from '../../src/shared/index.ts';
import {
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type StoreKind,
  type TestDatabase,
  type TestServer,
} from './harness.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';

// Four citizens, by generated ID number: each fixture create seals its number as a phone does.
const K1 = fakeIdNumber();
const K2 = fakeIdNumber();
const K3 = fakeIdNumber();
const K4 = fakeIdNumber();

type Who = 'demo-tnv' | 'demo-tnv2' | 'demo-lead';
interface Fixture {
  n: number;
  who: Who;
  record: Partial<LogRecord>;
  /** The citizen's ID number, typed with consent. */
  citizen?: string;
  deleted?: boolean;
}

/** The fixture. Counts in the reporting-*.test.ts files were made by hand from this table. */
export const FIXTURE: Fixture[] = [
  {
    n: 1,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K1,
  },
  {
    n: 2,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K1,
  },
  {
    n: 3,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-06',
      hamletId: 'thon-tay',
      category: 'vneid_l1',
      outcome: 'done',
    },
    citizen: K2,
  },
  {
    n: 4,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-11',
      hamletId: 'thon-dong',
      category: 'vneid_l1',
      outcome: 'failed',
      failReason: 'no_smartphone',
    },
    citizen: K3,
  },
  {
    n: 5,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-01-12',
      hamletId: 'thon-nam',
      category: 'online_filing',
      outcome: 'submitted',
      serviceCode: 'CA-03',
    },
    citizen: K1,
  },
  {
    n: 6,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-02-01',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
      note: '=HYPERLINK("http://x")',
    },
  },
  {
    n: 7,
    who: 'demo-tnv',
    record: {
      occurredOn: '2026-02-02',
      hamletId: 'thon-tay',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K4,
    deleted: true,
  },
  {
    n: 8,
    who: 'demo-tnv',
    record: {
      occurredOn: '2025-12-31',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K1,
  },
  {
    n: 9,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-bac',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K2,
  },
  {
    n: 10,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-01-07',
      hamletId: 'thon-bac',
      category: 'vneid_l1',
      outcome: 'done',
      note: '+84 912',
    },
    citizen: K2,
  },
  {
    n: 11,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-01-20',
      hamletId: 'thon-dong',
      category: 'app_install',
      outcome: 'done',
      note: '-1, "a"',
    },
  },
  {
    n: 12,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-02-15',
      hamletId: 'thon-bac',
      category: 'can_cuoc',
      outcome: 'follow_up',
    },
    citizen: K3,
    deleted: true,
  },
  {
    n: 13,
    who: 'demo-tnv2',
    record: {
      occurredOn: '2026-03-01',
      hamletId: 'thon-tay',
      category: 'digital_skills',
      outcome: 'done',
      note: '@SUM(A1)',
    },
    citizen: K4,
  },
  {
    n: 14,
    who: 'demo-lead',
    record: {
      occurredOn: '2026-01-05',
      hamletId: 'thon-dong',
      category: 'can_cuoc',
      outcome: 'done',
    },
    citizen: K4,
  },
  {
    n: 15,
    who: 'demo-lead',
    record: {
      occurredOn: '2026-02-10',
      hamletId: 'thon-nam',
      category: 'vneid_l1',
      outcome: 'referred',
    },
    citizen: K1,
  },
];
export const Q1 = 'from=2026-01-01&to=2026-03-31';

/** The server a reporting test file talks to, its logins, and the fixture's record ids by number. */
export interface ReportingServer {
  readonly server: TestServer;
  readonly token: Record<string, string>;
  readonly userId: Record<string, string>;
  readonly client: Record<string, string>;
  readonly ids: Record<number, string>;
  /** GET /tallies as `who`, expecting 200. */
  tally(who: string, query: string): Promise<TallyResponse>;
}

/** A tally's rows as [key values joined by |, count, citizens]. */
export const rows = (t: TallyResponse): [string, number, number][] =>
  t.rows.map((r) => [Object.values(r.key).join('|'), r.count, r.citizens]);

/** Starts a server on a fresh database of `kind` with the fixture pushed, for the calling describe. */
export function reportingServer(kind: StoreKind): ReportingServer {
  let server: TestServer | undefined;
  let db: TestDatabase | undefined;
  const token: Record<string, string> = {};
  const userId: Record<string, string> = {};
  const client: Record<string, string> = {};
  const ids: Record<number, string> = {};
  const started = (): TestServer => {
    if (!server) throw new Error('the reporting server is not started');
    return server;
  };

  setupAll(async () => {
    db = await testDatabase(kind);
    const s = await startServer({ db });
    server = s;
    for (const u of ['demo-tnv', 'demo-tnv2', 'demo-lead', 'demo-gs', 'demo-admin']) {
      const login = await s.login(u);
      token[u] = login.token;
      userId[u] = login.user.id;
      client[u] = clientId();
    }
    const seq: Record<string, number> = {};
    const contactKey = (await s.login('demo-tnv')).commune.contactKey;
    for (const f of FIXTURE) {
      const r = fakeRecord({ place: 'hamlet_hall', note: `Bản ghi số ${f.n}`, ...f.record });
      if (f.citizen) Object.assign(r, await sealedCitizen(contactKey, r.id, f.citizen));
      ids[f.n] = r.id;
      seq[f.who] = (seq[f.who] ?? 0) + 1;
      const res = await s.push(token[f.who] ?? '', client[f.who] ?? '', [createOf(r, seq[f.who] ?? 1)]);
      expect(res.body.results[0]?.status, JSON.stringify(res.body)).toBe('applied');
      if (f.deleted) {
        seq[f.who] = (seq[f.who] ?? 0) + 1;
        const del = await s.push(token[f.who] ?? '', client[f.who] ?? '', [
          deleteOf(r.id, seq[f.who] ?? 1, res.body.results[0]?.version ?? null),
        ]);
        expect(del.body.results[0]?.status).toBe('applied');
      }
    }
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  return {
    get server() {
      return started();
    },
    token,
    userId,
    client,
    ids,
    async tally(who, query) {
      const res = await started().request<TallyResponse>(`/api/v1/tallies?${query}`, { token: token[who] });
      expect(res.status, res.text).toBe(200);
      return res.body;
    },
  };
}
