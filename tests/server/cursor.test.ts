// The pull cursor and scope rules as pure functions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/server/sync/cursor.ts';
import {
  canRead,
  canWrite,
  pullScope,
  scopeKey,
  writesThroughSync,
  type Actor,
} from '../../src/server/sync/scope.ts';

const vol: Actor = { id: 'u1', role: 'volunteer', communeCode: '99001', teamId: 'team-1' };
const lead: Actor = { id: 'u2', role: 'lead', communeCode: '99001', teamId: 'team-1' };
const gs: Actor = { id: 'u3', role: 'supervisor', communeCode: '99001', teamId: null };

describe('cursor', () => {
  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string({ minLength: 1, maxLength: 64 }), (v, s) => {
        expect(decodeCursor(encodeCursor({ v, s }))).toEqual({ v, s, k: 1 });
        expect(decodeCursor(encodeCursor({ v, s, f: 1 }))).toEqual({ v, s, f: 1, k: 1 });
      }),
    );
  });

  it('answers null for anything that is not a cursor, never throwing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const c = decodeCursor(text);
        if (c !== null) expect(Number.isInteger(c.v)).toBe(true);
      }),
    );
    for (const text of [null, '', 'abc', '!!!', Buffer.from('{"v":-1,"s":"x"}').toString('base64url')])
      expect(decodeCursor(text)).toBeNull();
    expect(decodeCursor(Buffer.from('{"v":1.5,"s":"x"}').toString('base64url'))).toBeNull();
  });

  it('is opaque base64url text', () => {
    expect(encodeCursor({ v: 42, s: 'abc' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('scope', () => {
  const ownRecord = { volunteerId: 'u1', teamId: 'team-1', communeCode: '99001' };
  const teamRecord = { volunteerId: 'u9', teamId: 'team-1', communeCode: '99001' };
  const otherTeam = { volunteerId: 'u8', teamId: 'team-2', communeCode: '99001' };
  const otherCommune = { volunteerId: 'u7', teamId: 'team-1', communeCode: '99002' };

  it('lets a volunteer write only their own records but read the team', () => {
    expect(canWrite(vol, ownRecord)).toBe(true);
    expect(canWrite(vol, teamRecord)).toBe(false);
    expect(canRead(vol, teamRecord)).toBe(true);
    expect(canRead(vol, otherTeam)).toBe(false);
  });

  it('lets a lead write and read the team only', () => {
    expect(canWrite(lead, teamRecord)).toBe(true);
    expect(canWrite(lead, otherTeam)).toBe(false);
    expect(canRead(lead, otherTeam)).toBe(false);
    expect(canWrite(lead, otherCommune)).toBe(false);
  });

  it('lets a supervisor read the commune and write nothing', () => {
    expect(canRead(gs, otherTeam)).toBe(true);
    expect(canRead(gs, otherCommune)).toBe(false);
    expect(canWrite(gs, otherTeam)).toBe(false);
    expect(writesThroughSync(gs)).toBe(false);
    expect(pullScope(gs)).toEqual({ kind: 'commune', communeCode: '99001' });
  });

  it('gives a different scope key when the team or role changes', () => {
    expect(scopeKey(vol)).toBe(scopeKey({ ...vol }));
    expect(scopeKey(vol)).not.toBe(scopeKey({ ...vol, teamId: 'team-2' }));
    expect(scopeKey(vol)).not.toBe(scopeKey({ ...vol, role: 'lead' }));
  });
});
