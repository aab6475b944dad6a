// Wire messages: what the server refuses as a malformed envelope and what the client accepts as an answer.
import { describe, expect, test } from 'vitest';
import {
  ERRORS,
  MAX_MUTATIONS_CEILING,
  PROTOCOL_VERSION,
  PullResponse,
  PushRequest,
  PushResponse,
  SCHEMA_VERSION,
  errorBody,
  formatDayVi,
  isCalendarDay,
  newId,
} from '../../src/shared/index.ts';
import { makeRecord } from '../support/factories.ts';

function mutation(seq: number) {
  const record = makeRecord();
  return { seq, mutationId: newId(), recordId: record.id, op: 'upsert', baseVersion: null, patch: record };
}

describe('push envelope', () => {
  test('a well-formed push parses', () => {
    const body = { clientId: newId(), schemaVersion: SCHEMA_VERSION, mutations: [mutation(1), mutation(2)] };
    expect(PushRequest.safeParse(body).success).toBe(true);
  });

  test('no clientId, mutations not an array, or a missing seq are malformed', () => {
    expect(PushRequest.safeParse({ schemaVersion: 1, mutations: [] }).success).toBe(false);
    expect(PushRequest.safeParse({ clientId: newId(), schemaVersion: 1, mutations: {} }).success).toBe(false);
    const { seq: _seq, ...noSeq } = mutation(1);
    expect(PushRequest.safeParse({ clientId: newId(), schemaVersion: 1, mutations: [noSeq] }).success).toBe(
      false,
    );
  });

  test(`more than ${MAX_MUTATIONS_CEILING} mutations in one push is malformed whatever the server`, () => {
    const mutations = Array.from({ length: MAX_MUTATIONS_CEILING + 1 }, (_, i) => mutation(i + 1));
    expect(PushRequest.safeParse({ clientId: newId(), schemaVersion: 1, mutations }).success).toBe(false);
  });

  test('a bad record inside a mutation does not make the envelope malformed (it is rejected alone)', () => {
    const m = { ...mutation(1), patch: { category: 'nope' } };
    expect(PushRequest.safeParse({ clientId: newId(), schemaVersion: 1, mutations: [m] }).success).toBe(true);
  });
});

describe('answers the client accepts', () => {
  test('a push answer needs ackedSeq and results', () => {
    expect(
      PushResponse.safeParse({ ackedSeq: 2, results: [{ seq: 1, status: 'applied', version: 7 }] }).success,
    ).toBe(true);
    expect(PushResponse.safeParse({ ok: true }).success).toBe(false);
    expect(PushResponse.safeParse('<html>Wi-Fi login</html>').success).toBe(false);
  });

  test('a pull answer needs changes, cursor and hasMore', () => {
    expect(PullResponse.safeParse({ changes: [], cursor: 'abc', hasMore: false }).success).toBe(true);
    expect(PullResponse.safeParse({ changes: [] }).success).toBe(false);
  });
});

describe('error catalogue and helpers', () => {
  test('every error code maps to an HTTP status and a Vietnamese message', () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(e.status, code).toBeGreaterThanOrEqual(400);
      expect(e.vi.length, code).toBeGreaterThan(5);
    }
    expect(errorBody('schema_too_old')).toEqual({
      error: { code: 'schema_too_old', message: ERRORS.schema_too_old.vi },
    });
    expect(ERRORS.schema_too_old.status).toBe(426);
  });

  test('protocol and schema versions are positive integers', () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(SCHEMA_VERSION).toBe(1);
  });

  test('calendar days are real days and print as dd/mm/yyyy', () => {
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('26-11-28')).toBe(false);
    expect(formatDayVi('2026-11-28')).toBe('28/11/2026');
  });
});
