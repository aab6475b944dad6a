// The how-to cards over real HTTP on both stores (docs/cards.md): the shipped edition until the
// commune publishes, publishing a whole edition as admin (audited), the ETag that spares an unchanged
// download, the pull's announcement of the current edition, who may do what, and bad input refused
// with codes while nothing is stored.
import { afterAll, describe, expect, it } from 'vitest';
import { CardEdition, type Card } from '../../src/shared/catalogue/cards.ts';
import { communeDay } from '../../src/shared/index.ts';
import { SHIPPED_EDITION } from '../../src/server/http/cards.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type TestServer,
} from './harness.ts';

interface Refusal {
  error: {
    code: string;
    message: string;
    details?: { fields?: { field: string; code: string; message: string }[] };
  };
}

const edited = (): Card[] =>
  SHIPPED_EDITION.cards.map((c) =>
    c.key === 'service:XA-01'
      ? { ...c, fee: 'Miễn phí khi đăng ký đúng hạn.', steps: `${c.steps}\n6. Bước thêm của xã.` }
      : c,
  );

describe.each(STORE_KINDS)('how-to cards on %s', (kind) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    for (const who of ['demo-tnv', 'demo-lead', 'demo-gs', 'demo-admin'])
      tokens[who] = (await server.login(who)).token;
  });
  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  const get = (who: string, headers: Record<string, string> = {}) =>
    server.request<CardEdition>('/api/v1/cards', { token: tokens[who], headers });
  const publish = (who: string, body: unknown) =>
    server.request<CardEdition | Refusal>('/api/v1/cards', { method: 'POST', token: tokens[who], body });

  it('serves the shipped edition, with an ETag, until the commune publishes', async () => {
    const res = await get('demo-tnv');
    expect(res.status, res.text).toBe(200);
    expect(CardEdition.parse(res.body)).toEqual(SHIPPED_EDITION);
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get('demo-tnv', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const pulled = await server.pull(tokens['demo-tnv']!, clientId(), null);
    expect(pulled.body.hasMore).toBe(false);
    expect(pulled.body.cards).toBe(SHIPPED_EDITION.edition);
  });

  it('refuses bad editions with codes and stores nothing', async () => {
    const before = await server.db.count('card_editions');
    const cards = SHIPPED_EDITION.cards;
    const bad: [unknown, string, string][] = [
      [
        { source: 'Xã', cards: cards.map((c, i) => (i === 0 ? { ...c, key: 'service:ZZ-99' } : c)) },
        'cards.0.key',
        'unknown_service',
      ],
      [{ source: 'Xã', cards: cards.slice(1) }, 'cards', 'missing_card'],
      [
        { source: 'Xã', cards: cards.map((c, i) => (i === 1 ? { ...c, steps: '1. a\n<b>b</b>' } : c)) },
        'cards.1.steps',
        'bad_markup',
      ],
      [
        { source: 'Xã', cards: cards.map((c, i) => (i === 2 ? { ...c, papers: '- x\n'.repeat(1000) } : c)) },
        'cards.2.papers',
        'too_long',
      ],
      [
        { source: 'Xã', cards: cards.map((c, i) => (i === 3 ? { ...c, steps: '1. a\n3. b' } : c)) },
        'cards.3.steps',
        'bad_markup',
      ],
      [{ source: '', cards }, 'source', 'required'],
      [
        { source: 'Xã', cards: cards.map((c, i) => (i === 0 ? { ...c, payOnline: 'maybe' } : c)) },
        'cards',
        'invalid',
      ],
    ];
    for (const [body, field, code] of bad) {
      const res = await publish('demo-admin', body);
      expect(res.status, `${field} ${res.text.slice(0, 200)}`).toBe(400);
      const refusal = res.body as Refusal;
      expect(refusal.error.code).toBe('invalid_request');
      const issue = refusal.error.details?.fields?.find((f) => f.field === field);
      expect(issue?.code, `${field}: ${res.text.slice(0, 300)}`).toBe(code);
    }
    expect(await server.db.count('card_editions')).toBe(before);
  });

  it('lets only the admin publish', async () => {
    const body = { source: 'Thử', cards: SHIPPED_EDITION.cards };
    for (const who of ['demo-tnv', 'demo-lead', 'demo-gs'])
      expect((await publish(who, body)).status).toBe(403);
    expect((await server.request('/api/v1/cards', { method: 'POST', body })).status).toBe(401);
    expect((await server.request('/api/v1/cards')).status).toBe(401);
    expect(await server.db.count('card_editions')).toBe(0);
  });

  it('publishes a new edition: numbered, dated, audited, announced in the pull, the old ETag stale', async () => {
    const old = (await get('demo-tnv')).headers.get('etag')!;
    const res = await publish('demo-admin', { source: '  UBND xã, rà soát lần 1  ', cards: edited() });
    expect(res.status, res.text).toBe(200);
    const published = CardEdition.parse(res.body);
    expect(published.edition).toBe(SHIPPED_EDITION.edition + 1);
    expect(published.publishedOn).toBe(communeDay());
    expect(published.source).toBe('UBND xã, rà soát lần 1');

    const fresh = await get('demo-tnv', { 'if-none-match': old });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toEqual(published);
    expect(fresh.body.cards.find((c) => c.key === 'service:XA-01')?.fee).toBe(
      'Miễn phí khi đăng ký đúng hạn.',
    );
    expect(fresh.headers.get('etag')).not.toBe(old);
    expect((await get('demo-gs', { 'if-none-match': fresh.headers.get('etag')! })).status).toBe(304);

    const pulled = await server.pull(tokens['demo-lead']!, clientId(), null);
    expect(pulled.body.cards).toBe(published.edition);

    const second = await publish('demo-admin', { source: 'Lần 2', cards: SHIPPED_EDITION.cards });
    expect(CardEdition.parse(second.body).edition).toBe(published.edition + 1);
    expect((await get('demo-lead')).body.source).toBe('Lần 2');

    const audit = await server.request<{
      entries: { action: string; target: string | null; detail: unknown }[];
    }>('/api/v1/audit?action=cards_publish', { token: tokens['demo-admin'] });
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.entries.map((e) => e.detail)).toEqual(
      expect.arrayContaining([
        { edition: published.edition, cards: SHIPPED_EDITION.cards.length },
        { edition: published.edition + 1, cards: SHIPPED_EDITION.cards.length },
      ]),
    );
    expect(audit.body.entries).toHaveLength(2);
  });

  it('announces the edition only on the last page of a pull', async () => {
    const token = tokens['demo-tnv']!;
    const cid = clientId();
    // Three records of this volunteer, pulled one page at a time by another phone of theirs.
    const pushed = await server.push(
      token,
      cid,
      [1, 2, 3].map((seq) => createOf(fakeRecord(), seq)),
    );
    expect(pushed.status, pushed.text).toBe(200);
    const other = clientId();
    let cursor: string | null = null;
    const announced: (number | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      const page = await server.pull(token, other, cursor, 1);
      announced.push(page.body.cards);
      if (!page.body.hasMore) break;
      cursor = page.body.cursor;
    }
    expect(announced.length).toBeGreaterThan(1);
    expect(announced.slice(0, -1).every((n) => n === undefined)).toBe(true);
    expect(announced.at(-1)).toBeGreaterThan(SHIPPED_EDITION.edition);
  });
});
