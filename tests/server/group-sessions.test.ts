// Group sessions on the server, over real HTTP on both stores (docs/group-sessions.md): they travel
// through the same push and pull as records (kinds, seq order, replay, exactly-once), are refused
// whole when bad, keep a record's ownership and scope, and have their topic list, list and review.
import { afterAll, describe, expect, it } from 'vitest';
import {
  ErrorResponse,
  PullResponse,
  SessionListResponse,
  SessionTopicsBody,
  newId,
  sessionFieldMessageVi,
  topicsOrDefault,
  type Change,
  type GroupSession,
  type Mutation,
  type MutationResult,
  type ReviewResponse,
  type SessionTopic,
} from '../../src/shared/index.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

let counter = 0;

/** A made-up session: counts only, facilitators are invented staff names. */
function fakeSession(over: Partial<GroupSession> = {}): GroupSession {
  counter += 1;
  return {
    id: newId(),
    heldOn: `2026-11-${String((counter % 28) + 1).padStart(2, '0')}`,
    hamletId: counter % 2 === 0 ? 'thon-dong' : 'thon-tay',
    place: `Nhà văn hóa thôn số ${counter}`,
    topic: 'ai_apps',
    attendance: { 'female:60_plus': 10 + counter, 'male:18_59': 3 },
    facilitators: [`Tình nguyện viên thử ${counter}`],
    ...over,
  };
}

function sessionCreate(s: Record<string, unknown> & { id: string }, seq: number): Mutation {
  return {
    seq,
    mutationId: newId(),
    recordId: s.id,
    kind: 'session',
    op: 'upsert',
    baseVersion: null,
    patch: s,
  };
}

function sessionUpdate(
  id: string,
  seq: number,
  baseVersion: number,
  patch: Record<string, unknown>,
): Mutation {
  return { seq, mutationId: newId(), recordId: id, kind: 'session', op: 'upsert', baseVersion, patch };
}

function sessionDelete(id: string, seq: number, baseVersion: number | null): Mutation {
  return { seq, mutationId: newId(), recordId: id, kind: 'session', op: 'delete', baseVersion };
}

describe.each(STORE_KINDS)('group sessions on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  const token: Record<string, string> = {};
  const userId: Record<string, string> = {};
  const tok = (u: string): string => token[u] ?? '';

  /** One push from a fresh client; its results. */
  async function pushFresh(username: string, mutations: Mutation[]): Promise<MutationResult[]> {
    const res = await server.push(tok(username), clientId(), mutations);
    expect(res.status).toBe(200);
    return res.body.results;
  }

  /** Every change a fresh client of `username` pulls, and the last page. */
  async function pullAll(username: string): Promise<{ changes: Change[]; last: PullResponse }> {
    const cid = clientId();
    const changes: Change[] = [];
    let cursor: string | null = null;
    for (;;) {
      const res = await server.pull(tok(username), cid, cursor, 500);
      expect(res.status).toBe(200);
      const page = PullResponse.parse(res.body);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, last: page };
    }
  }

  const sessionCount = (where = ''): Promise<number> =>
    db.count(`group_sessions${where ? ` WHERE ${where}` : ''}`);

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    // A lead of team 2 and a second volunteer of team 1, so scope within and across teams shows.
    const hash = await hashPassword('demo');
    const extra = [
      { username: 'lead-2', displayName: 'Tổ trưởng tổ 2 (thử)', role: 'lead', teamId: 'team-2' },
      { username: 'tnv-1b', displayName: 'Tình nguyện viên tổ 1 (thử)', role: 'volunteer', teamId: 'team-1' },
    ] as const;
    await server.store.transaction(async (tx) => {
      for (const u of extra)
        await tx.insertUser({ id: newId(), ...u, passwordHash: hash, communeCode: '99001', active: true });
    });
    for (const u of ['demo-tnv', 'demo-tnv2', 'tnv-1b', 'demo-lead', 'lead-2', 'demo-gs', 'demo-admin']) {
      const login = await server.login(u);
      token[u] = login.token;
      userId[u] = login.user.id;
    }
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('creates, edits and deletes a session through push, keeping its columns on every write', async () => {
    const s = fakeSession({
      heldOn: '2026-11-03',
      topic: 'vneid',
      attendance: { 'female:18_59': 5, 'male:60_plus': 7 },
    });
    const [created] = await pushFresh('demo-tnv', [sessionCreate(s, 1)]);
    expect(created).toMatchObject({ seq: 1, status: 'applied' });
    const v1 = created?.version ?? 0;
    expect(v1).toBeGreaterThan(0);
    const stored = await server.store.getSession(s.id);
    expect(stored).toMatchObject({
      volunteerId: userId['demo-tnv'],
      teamId: 'team-1',
      version: v1,
      deleted: false,
    });
    expect(stored?.data).toMatchObject({ heldOn: '2026-11-03', topic: 'vneid', attendance: s.attendance });
    expect(
      await sessionCount(`id = '${s.id}' AND held_on = '2026-11-03' AND topic = 'vneid' AND attendees = 12`),
    ).toBe(1);

    const cid = clientId();
    const edit = await server.push(tok('demo-tnv'), cid, [
      sessionUpdate(s.id, 1, v1, {
        attendance: { 'female:18_59': 20 },
        topic: 'online_safety',
        note: 'Trời mưa',
      }),
    ]);
    expect(edit.body.results[0]).toMatchObject({ seq: 1, status: 'applied' });
    const v2 = edit.body.results[0]?.version ?? 0;
    expect(v2).toBeGreaterThan(v1);
    expect(
      await sessionCount(
        `id = '${s.id}' AND topic = 'online_safety' AND attendees = 20 AND held_on = '2026-11-03'`,
      ),
    ).toBe(1);
    expect((await server.store.getSession(s.id))?.data).toMatchObject({ note: 'Trời mưa', place: s.place });

    // A phone that pulled the edited session hears of its deletion as a tombstone marked as a session.
    const puller = clientId();
    const before = await server.pull(tok('demo-tnv'), puller, null, 1000);
    expect(before.body.changes.find((c) => c.id === s.id)).toMatchObject({
      kind: 'session',
      version: v2,
      deleted: false,
      data: { topic: 'online_safety', note: 'Trời mưa', volunteerId: userId['demo-tnv'] },
    });
    const del = await server.push(tok('demo-tnv'), cid, [sessionDelete(s.id, 2, v2)]);
    expect(del.body.results[0]).toMatchObject({ seq: 2, status: 'applied' });
    const gone = await server.store.getSession(s.id);
    expect(gone).toMatchObject({ deleted: true, data: {} });
    // A record endpoint never sees a session: the two live in their own tables.
    expect(await server.store.getRecord(s.id)).toBeNull();
    const after = await server.pull(tok('demo-tnv'), puller, before.body.cursor, 1000);
    expect(after.body.changes).toEqual([
      { id: s.id, kind: 'session', version: del.body.results[0]?.version, deleted: true, data: null },
    ]);
  });

  it('answers a replayed push from its stored results and stores nothing twice', async () => {
    const a = fakeSession();
    const b = fakeSession();
    const cid = clientId();
    const mutations = [
      sessionCreate(a, 1),
      sessionCreate(b, 2),
      sessionUpdate(a.id, 3, 0, { note: 'Sửa lại' }),
    ];
    const first = await server.push(tok('demo-tnv'), cid, mutations);
    expect(first.body.ackedSeq).toBe(3);
    const sessionsBefore = await sessionCount();
    const historyBefore = await db.count('record_history');
    const versionBefore = await db.version();

    const again = await server.push(tok('demo-tnv'), cid, mutations);
    expect(again.body).toEqual(first.body);
    // The same mutation ids from another client (a lead's hand-off): applied, not applied twice.
    const handed = await server.push(tok('demo-lead'), clientId(), mutations);
    expect(handed.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await sessionCount()).toBe(sessionsBefore);
    expect(await db.count('record_history')).toBe(historyBefore);
    expect(await db.version()).toBe(versionBefore);

    // A session may not take a record's id.
    const record = fakeRecord();
    await pushFresh('demo-tnv', [createOf(record, 1)]);
    const [clash] = await pushFresh('demo-tnv', [sessionCreate({ ...fakeSession(), id: record.id }, 1)]);
    expect(clash).toMatchObject({ status: 'rejected', error: { code: 'id_conflict' } });
    expect(await sessionCount(`id = '${record.id}'`)).toBe(0);

    // The same mutation id with other content is not a replay.
    const reused = await pushFresh('demo-tnv', [
      { ...sessionCreate(fakeSession(), 1), mutationId: mutations[0]?.mutationId ?? '' },
    ]);
    expect(reused[0]).toMatchObject({ status: 'rejected', error: { code: 'mutation_id_reused' } });
    expect(await sessionCount()).toBe(sessionsBefore);
    // Nor a record a session's id, stored before or created earlier in the same push.
    const held = fakeSession();
    await pushFresh('demo-tnv', [sessionCreate(held, 1)]);
    const [onSession] = await pushFresh('demo-tnv', [createOf({ ...fakeRecord(), id: held.id }, 1)]);
    expect(onSession).toMatchObject({ status: 'rejected', error: { code: 'id_conflict' } });
    const same = fakeSession();
    const both = await pushFresh('demo-tnv', [
      sessionCreate(same, 1),
      createOf({ ...fakeRecord(), id: same.id }, 2),
    ]);
    expect(both.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect(both[1]).toMatchObject({ error: { code: 'id_conflict' } });
    expect(await db.count(`records WHERE id IN ('${held.id}', '${same.id}')`)).toBe(0);
    expect(await sessionCount(`id IN ('${held.id}', '${same.id}')`)).toBe(2);
  });

  it('keeps seq order in one push that mixes records and sessions, and pulls both under one cursor', async () => {
    const r1 = fakeRecord();
    const s1 = fakeSession();
    const r2 = fakeRecord();
    const cid = clientId();
    const res = await server.push(tok('demo-tnv'), cid, [
      createOf(r1, 1),
      sessionCreate(s1, 2),
      createOf(r2, 3),
      sessionUpdate(s1.id, 4, 0, { place: 'Hội trường xã' }),
    ]);
    expect(res.body.ackedSeq).toBe(4);
    const results = res.body.results;
    expect(results.map((r) => [r.seq, r.status])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'applied'],
      [4, 'applied'],
    ]);
    const versions = results.map((r) => r.version ?? 0);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    expect(new Set(versions).size).toBe(4);
    // A record's answer carries no kind; it is the answer it always was.
    expect(Object.keys(results[0] ?? {}).sort()).toEqual(['seq', 'status', 'version']);

    const { changes } = await pullAll('demo-lead');
    const mine = changes.filter((c) => [r1.id, s1.id, r2.id].includes(c.id));
    expect(mine.map((c) => [c.id, c.kind])).toEqual([
      [r1.id, undefined],
      [r2.id, undefined],
      [s1.id, 'session'],
    ]);
    const all = changes.map((c) => c.version);
    expect([...all].sort((x, y) => x - y)).toEqual(all);
    expect(mine.find((c) => c.id === s1.id)?.data).toMatchObject({
      place: 'Hội trường xã',
      volunteerId: userId['demo-tnv'],
      teamId: 'team-1',
    });
    expect('kind' in (mine[0] ?? {})).toBe(false);
  });

  it('pages records and sessions together without gaps or repeats', async () => {
    const cid = clientId();
    const mutations: Mutation[] = [];
    for (let i = 1; i <= 12; i += 1)
      mutations.push(i % 3 === 0 ? createOf(fakeRecord(), i) : sessionCreate(fakeSession(), i));
    await server.push(tok('demo-tnv2'), cid, mutations);
    const whole = await pullAll('demo-tnv2');
    const paged: Change[] = [];
    let cursor: string | null = null;
    const pager = clientId();
    for (;;) {
      const res = await server.pull(tok('demo-tnv2'), pager, cursor, 5);
      paged.push(...res.body.changes);
      cursor = res.body.cursor;
      // Only the last page carries the topic list.
      expect(res.body.sessionTopics === undefined).toBe(res.body.hasMore);
      if (!res.body.hasMore) break;
    }
    expect(paged.map((c) => c.id)).toEqual(whole.changes.map((c) => c.id));
    expect(new Set(paged.map((c) => c.id)).size).toBe(paged.length);
    expect(paged.filter((c) => c.kind === 'session').length).toBeGreaterThanOrEqual(8);
  });

  it('refuses a bad session with field codes in Vietnamese and stores nothing', async () => {
    const cases: [string, Record<string, unknown> & { id: string }, string, string, string][] = [
      ['unknown topic', { ...fakeSession(), topic: 'cooking' }, 'invalid_record', 'topic', 'unknown_topic'],
      [
        'no attendees',
        { ...fakeSession(), attendance: { 'female:60_plus': 0 } },
        'invalid_record',
        'attendance',
        'no_attendees',
      ],
      [
        'a named attendee',
        { ...fakeSession(), attendeeNames: ['Người thử A'] },
        'invalid_record',
        'attendeeNames',
        'unknown_field',
      ],
      [
        'an ID number in the note',
        { ...fakeSession(), note: 'Bà B, 001 086 012 345' },
        'invalid_record',
        'note',
        'looks_like_id',
      ],
      [
        'a day in the future',
        { ...fakeSession(), heldOn: '2099-01-01' },
        'occurred_in_future',
        'heldOn',
        'in_future',
      ],
      [
        'an unknown hamlet',
        { ...fakeSession(), hamletId: 'thon-khac' },
        'invalid_record',
        'hamletId',
        'unknown_hamlet',
      ],
    ];
    const before = await sessionCount();
    const historyBefore = await db.count('record_history');
    const cid = clientId();
    const res = await server.push(
      tok('demo-tnv'),
      cid,
      cases.map(([, s], n) => sessionCreate(s, n + 1)),
    );
    // Refused ones are answered (and acked): the phone shows why and keeps the session to fix.
    expect(res.body.ackedSeq).toBe(cases.length);
    cases.forEach(([how, , code, field, issue], n) => {
      const r = res.body.results[n];
      expect(r?.status, how).toBe('rejected');
      expect(r?.error?.code, how).toBe(code);
      expect((r?.error?.details as { fields?: unknown[] } | undefined)?.fields, how).toContainEqual({
        field,
        code: issue,
        message: sessionFieldMessageVi(field, issue),
      });
    });
    expect(await sessionCount()).toBe(before);
    expect(await db.count('record_history')).toBe(historyBefore);

    // An edit that would leave nobody attending is refused too, and the session stays as it was.
    const s = fakeSession();
    const [created] = await pushFresh('demo-tnv', [sessionCreate(s, 1)]);
    const [edit] = await pushFresh('demo-tnv', [
      sessionUpdate(s.id, 1, created?.version ?? 0, { attendance: {}, extra: 1 }),
    ]);
    expect(edit).toMatchObject({ status: 'rejected', error: { code: 'invalid_record' } });
    expect((await server.store.getSession(s.id))?.data.attendance).toEqual(s.attendance);
  });

  it('lets a volunteer write only their own sessions and a lead their team’s', async () => {
    const s = fakeSession();
    const [created] = await pushFresh('demo-tnv', [sessionCreate(s, 1)]);
    const v = created?.version ?? 0;
    // Another team's volunteer, and a volunteer of the same team: neither may edit or delete it.
    for (const other of ['demo-tnv2', 'tnv-1b']) {
      const [edit, del] = await pushFresh(other, [
        sessionUpdate(s.id, 1, v, { note: 'Không phải của tôi' }),
        sessionDelete(s.id, 2, v),
      ]);
      expect(edit, other).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
      expect(del, other).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    }
    // A volunteer cannot log a session in someone else's name.
    const [named] = await pushFresh('demo-tnv', [
      sessionCreate({ ...fakeSession(), volunteerId: userId['tnv-1b'] ?? '' }, 1),
    ]);
    expect(named).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    expect((await server.store.getSession(s.id))?.data.note).toBeUndefined();
    // The team's lead may, and another team's lead may not.
    const [lead] = await pushFresh('demo-lead', [sessionUpdate(s.id, 1, v, { note: 'Tổ trưởng bổ sung' })]);
    expect(lead).toMatchObject({ status: 'applied' });
    const [outsider] = await pushFresh('lead-2', [sessionUpdate(s.id, 1, v, { note: 'Tổ khác' })]);
    expect(outsider).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    // A lead's edit beats a volunteer's stale edit of the same field, as for records.
    const [stale] = await pushFresh('demo-tnv', [sessionUpdate(s.id, 1, v, { note: 'Bản cũ' })]);
    expect(stale).toMatchObject({ status: 'conflict', record: { note: 'Tổ trưởng bổ sung' } });
  });

  it('pulls sessions only within scope, and the topic list on the last page', async () => {
    const one = fakeSession();
    const two = fakeSession();
    await pushFresh('demo-tnv', [sessionCreate(one, 1)]);
    await pushFresh('demo-tnv2', [sessionCreate(two, 1)]);
    const team1 = await pullAll('demo-tnv');
    const team2 = await pullAll('demo-tnv2');
    const gs = await pullAll('demo-gs');
    const ids = (p: { changes: Change[] }): string[] =>
      p.changes.filter((c) => c.kind === 'session').map((c) => c.id);
    expect(ids(team1)).toContain(one.id);
    expect(ids(team1)).not.toContain(two.id);
    expect(ids(team2)).toContain(two.id);
    expect(ids(team2)).not.toContain(one.id);
    expect(ids(gs)).toEqual(expect.arrayContaining([one.id, two.id]));
    // Every session a volunteer pulls is of their team.
    for (const c of team2.changes.filter((x) => x.kind === 'session' && !x.deleted))
      expect(c.data?.teamId).toBe('team-2');
    expect(team1.last.sessionTopics).toEqual(topicsOrDefault(await server.store.sessionTopics('99001')));
  });

  it('serves the topic list to everyone and lets only the admin change it, never dropping a code', async () => {
    const get = await server.request<SessionTopicsBody>('/api/v1/session-topics', { token: tok('demo-tnv') });
    expect(get.status).toBe(200);
    expect(get.body.topics.map((t) => t.code)).toContain('ai_apps');
    expect(get.body.topics.find((t) => t.code === 'ai_apps')?.label).toBe('Ứng dụng AI');

    const next: SessionTopic[] = [
      ...get.body.topics.map((t) => (t.code === 'online_payment' ? { ...t, active: false } : t)),
      { code: 'elections', label: 'Bầu cử trực tuyến (thử)', active: true },
    ];
    for (const u of ['demo-tnv', 'demo-lead', 'demo-gs']) {
      const put = await server.request('/api/v1/session-topics', {
        method: 'PUT',
        token: tok(u),
        body: { topics: next },
      });
      expect(put.status, u).toBe(403);
    }
    const dropped = await server.request<ErrorResponse>('/api/v1/session-topics', {
      method: 'PUT',
      token: tok('demo-admin'),
      body: { topics: next.filter((t) => t.code !== 'vneid') },
    });
    expect(dropped.status).toBe(400);
    expect((dropped.body.error.details as { fields?: unknown[] } | undefined)?.fields).toEqual([
      expect.objectContaining({
        field: 'topics',
        code: 'invalid_topics',
        message: expect.stringContaining('vneid'),
      }),
    ]);
    expect(await db.count('session_topics')).toBe(0);
    const badBody = await server.request('/api/v1/session-topics', {
      method: 'PUT',
      token: tok('demo-admin'),
      body: { topics: [...next, next[0]] },
    });
    expect(badBody.status).toBe(400);

    const put = await server.request<SessionTopicsBody>('/api/v1/session-topics', {
      method: 'PUT',
      token: tok('demo-admin'),
      body: { topics: next },
    });
    expect(put.status).toBe(200);
    expect(put.body.topics).toEqual(next);
    expect(await db.count('session_topics')).toBe(next.length);
    const after = await server.request<SessionTopicsBody>('/api/v1/session-topics', {
      token: tok('demo-gs'),
    });
    expect(after.body.topics).toEqual(next);
    const audit = await server.store.listAudit({
      communeCode: '99001',
      action: 'session_topics_change',
      limit: 10,
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.userId).toBe(userId['demo-admin']);

    // A new topic and a retired one are both valid for a session; a code never listed is not.
    const [added, retired] = await pushFresh('demo-tnv', [
      sessionCreate(fakeSession({ topic: 'elections' }), 1),
      sessionCreate(fakeSession({ topic: 'online_payment' }), 2),
    ]);
    expect(added?.status).toBe('applied');
    expect(retired?.status).toBe('applied');
    const { last } = await pullAll('demo-tnv');
    expect(last.sessionTopics).toEqual(next);
  });

  it('lists sessions newest first for leads (their team), supervisors and admins, with filters and pages', async () => {
    const many: Mutation[] = [];
    for (let i = 1; i <= 101; i += 1)
      many.push(
        sessionCreate(
          fakeSession({ heldOn: '2026-10-01', hamletId: 'thon-nam', topic: 'digital_skills' }),
          i,
        ),
      );
    const results = await pushFresh('tnv-1b', many);
    expect(results.every((r) => r.status === 'applied')).toBe(true);
    await pushFresh('demo-tnv2', [
      sessionCreate(fakeSession({ heldOn: '2026-10-02', hamletId: 'thon-nam' }), 1),
    ]);

    const list = (u: string, query: string) =>
      server.request<SessionListResponse>(`/api/v1/sessions${query}`, { token: tok(u) });
    const first = await list('demo-lead', '?hamletId=thon-nam');
    expect(first.status).toBe(200);
    const page1 = SessionListResponse.parse(first.body);
    expect(page1.sessions).toHaveLength(100);
    expect(page1.sessions.every((s) => s.teamId === 'team-1' && s.hamletId === 'thon-nam')).toBe(true);
    expect(page1.next).not.toBeNull();
    const second = SessionListResponse.parse(
      (await list('demo-lead', `?hamletId=thon-nam&cursor=${page1.next}`)).body,
    );
    expect(second.sessions).toHaveLength(1);
    expect(second.next).toBeNull();
    const ids = [...page1.sessions, ...second.sessions].map((s) => s.id);
    expect(new Set(ids).size).toBe(101);
    expect(page1.sessions[0]).toMatchObject({
      attendees: expect.any(Number),
      topic: 'digital_skills',
      reviewState: null,
    });

    const gs = SessionListResponse.parse(
      (await list('demo-gs', '?hamletId=thon-nam&from=2026-10-02&to=2026-10-31')).body,
    );
    expect(gs.sessions.map((s) => s.teamId)).toEqual(['team-2']);
    const byTeam = SessionListResponse.parse((await list('demo-admin', '?teamId=team-2&topic=ai_apps')).body);
    expect(byTeam.sessions.every((s) => s.teamId === 'team-2' && s.topic === 'ai_apps')).toBe(true);
    expect(byTeam.sessions.length).toBeGreaterThan(0);
    // Newest first.
    const days = byTeam.sessions.map((s) => s.heldOn);
    expect([...days].sort().reverse()).toEqual(days);

    expect((await list('demo-lead', '?teamId=team-2')).status).toBe(403);
    expect((await list('demo-tnv', '')).status).toBe(403);
    for (const bad of [
      '?from=2026-02-30',
      '?from=2026-10-10&to=2026-10-01',
      '?colour=red',
      '?cursor=abc',
      '?topic=Bad Topic',
    ]) {
      const res = await list('demo-gs', bad);
      expect(res.status, bad).toBe(400);
      expect((res.body as unknown as ErrorResponse).error.code, bad).toBe('invalid_request');
    }
  });

  it('reviews a session like a record: same answer, scope, history, and the state reaches the phone', async () => {
    const s = fakeSession();
    const t2 = fakeSession();
    const [created] = await pushFresh('demo-tnv', [sessionCreate(s, 1)]);
    await pushFresh('demo-tnv2', [sessionCreate(t2, 1)]);
    const review = (u: string, id: string, body: unknown) =>
      server.request<ReviewResponse>(`/api/v1/sessions/${id}/review`, { token: tok(u), body });
    const reviewsBefore = await db.count('record_reviews');

    const ok = await review('demo-lead', s.id, { state: 'has_issues', comment: 'Kiểm tra lại số người' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      recordId: s.id,
      reviewState: 'has_issues',
      reviewComment: 'Kiểm tra lại số người',
      reviewedBy: userId['demo-lead'],
    });
    expect(ok.body.version).toBeGreaterThan(created?.version ?? 0);
    expect(await db.count('record_reviews')).toBe(reviewsBefore + 1);
    expect((await server.store.recordHistory(s.id)).map((h) => h.op)).toEqual(['create', 'update']);

    expect((await review('demo-lead', t2.id, { state: 'approved' })).status).toBe(403);
    expect((await review('demo-tnv', s.id, { state: 'approved' })).status).toBe(403);
    expect((await review('demo-gs', t2.id, { state: 'approved' })).status).toBe(200);
    expect((await review('demo-admin', newId(), { state: 'approved' })).status).toBe(404);
    expect((await review('demo-gs', s.id, { state: 'maybe' })).status).toBe(400);
    const idInComment = await review('demo-gs', s.id, { state: 'approved', comment: 'Số 001086012345' });
    expect(idInComment.status).toBe(400);
    expect(await db.count('record_reviews')).toBe(reviewsBefore + 2);

    const { changes } = await pullAll('demo-tnv');
    expect(changes.find((c) => c.id === s.id)).toMatchObject({
      kind: 'session',
      version: ok.body.version,
      data: { reviewState: 'has_issues', reviewComment: 'Kiểm tra lại số người' },
    });
    const listed = SessionListResponse.parse(
      (await server.request(`/api/v1/sessions?teamId=team-1`, { token: tok('demo-gs') })).body,
    );
    expect(listed.sessions.find((x) => x.id === s.id)).toMatchObject({ reviewState: 'has_issues' });
  });
  // Last: pruning drops every stored result, which the replay tests above rely on.
  it('prunes old session tombstones with their history, and a cursor below the horizon starts over', async () => {
    const s = fakeSession();
    const live = fakeSession();
    const cid = clientId();
    const [created] = (await server.push(tok('demo-tnv'), cid, [sessionCreate(s, 1), sessionCreate(live, 2)]))
      .body.results;
    const puller = clientId();
    const old = await server.pull(tok('demo-tnv'), puller, null, 1000);
    const [deleted] = (
      await server.push(tok('demo-tnv'), cid, [sessionDelete(s.id, 3, created?.version ?? 0)])
    ).body.results;
    expect(await sessionCount(`id = '${s.id}'`)).toBe(1);
    const report = await server.store.prune(new Date(Date.now() + 60_000).toISOString());
    expect(report.tombstones).toBeGreaterThanOrEqual(1);
    expect(report.prunedVersion).toBeGreaterThanOrEqual(deleted?.version ?? Infinity);
    expect(await sessionCount(`id = '${s.id}'`)).toBe(0);
    expect(await server.store.recordHistory(s.id)).toEqual([]);
    // Live sessions stay.
    expect(await sessionCount(`id = '${live.id}' AND NOT deleted`)).toBe(1);
    const again = await server.pull(tok('demo-tnv'), puller, old.body.cursor, 1000);
    expect(again.body.reset).toBe(true);
    expect(again.body.changes.some((c) => c.kind === 'session')).toBe(true);
  });
});
