// Migration 20261207-11-setup-tokens: the hashes of first-run set-up links, one row per token.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261207-11-setup-tokens.sql';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('creates the set-up token table keyed by the hash', async () => {
    await withStage(kind, NAME, async (s) => {
      expect(await s.tables()).not.toContain('setup_tokens');
      expect(await s.apply()).toEqual([NAME]);
      expect((await s.columns('setup_tokens')).map((c) => [c.name, c.nullable])).toEqual([
        ['token_hash', false],
        ['created_at', false],
      ]);
      const add = 'INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)';
      await s.run(add, ['a'.repeat(64), '2026-04-01T00:00:00.000Z']);
      await s.run(add, ['b'.repeat(64), '2026-04-01T00:00:01.000Z']);
      await expect(s.run(add, ['a'.repeat(64), '2026-04-01T00:00:02.000Z'])).rejects.toThrow(
        /UNIQUE|unique|duplicate/,
      );
      expect(await s.query('SELECT count(*) AS n FROM setup_tokens')).toEqual([
        { n: kind === 'sqlite' ? 2 : '2' },
      ]);
    });
  });
});
