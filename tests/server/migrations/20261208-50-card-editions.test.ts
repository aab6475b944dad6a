// Migration 20261208-50-card-editions: a commune's published editions of the how-to cards, one row
// per (commune, edition number).
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261208-50-card-editions.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('keeps each edition of a commune once', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Một'), ('99002', 'Xã Hai')`);
      expect(await s.apply()).toEqual([NAME]);
      const add = `INSERT INTO card_editions (commune_code, edition, published_on, source, cards, published_by, published_at)
        VALUES ($1, $2, '2026-04-01', 'admin', $3, 'u1', $4)`;
      const cards = [{ id: 'vneid-l2', title: 'Kích hoạt VNeID mức 2' }];
      await s.run(add, ['99001', 2, JSON.stringify(cards), AT]);
      await s.run(add, ['99001', 3, '[]', AT]);
      await s.run(add, ['99002', 2, '[]', AT]);
      await expect(s.run(add, ['99001', 2, '[]', AT])).rejects.toThrow(/UNIQUE|unique|duplicate|PRIMARY/);
      const rows = await s.query<{ commune_code: string; edition: number; cards: unknown }>(
        'SELECT commune_code, edition, cards FROM card_editions ORDER BY commune_code, edition',
      );
      expect(rows.map((r) => [r.commune_code, r.edition])).toEqual([
        ['99001', 2],
        ['99001', 3],
        ['99002', 2],
      ]);
      const first = rows[0]?.cards;
      expect(typeof first === 'string' ? JSON.parse(first) : first).toEqual(cards);
    });
  });
});
