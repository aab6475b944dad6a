// The record schema is the contract: these tests pin what it accepts and how it refuses.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  CURRENT_CONSENT_NOTICE,
  LogRecord,
  RECORD_FIELDS,
  SEALED_CITIZEN_RE,
  SERVICE_CATALOGUE,
  applyPatch,
  newId,
  sealCitizenId,
  toBase64Url,
  validatePatch,
  validateRecord,
} from '../../src/shared/index.ts';
import { makeRecord } from '../support/factories.ts';

const hamletIds = new Set(['thon-dong', 'thon-tay']);

describe('a whole record', () => {
  test('a minimal record with the five required fields is valid', () => {
    const r = {
      id: newId(),
      occurredOn: '2026-11-28',
      hamletId: 'thon-dong',
      category: 'vneid_l2',
      outcome: 'done',
    };
    expect(validateRecord(r, { hamletIds })).toEqual({ ok: true, value: r });
  });

  test('every generated record is valid', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        let s = seed;
        const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) % 1000) / 1000;
        const result = validateRecord(makeRecord({}, rand), { hamletIds });
        expect(result.ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('missing required fields are named with Vietnamese messages', () => {
    const result = validateRecord({ id: newId(), occurredOn: '2026-11-28' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byField = Object.fromEntries(result.issues.map((i) => [i.field, i]));
    expect(byField.hamletId).toMatchObject({ code: 'required', message: 'Vui lòng chọn thôn/ấp.' });
    expect(byField.category).toMatchObject({ code: 'required', message: 'Vui lòng chọn loại hỗ trợ.' });
    expect(byField.outcome).toMatchObject({ code: 'required', message: 'Vui lòng chọn kết quả.' });
  });

  test('an empty choice counts as missing, not as invalid', () => {
    const result = validateRecord({ ...makeRecord(), hamletId: '' });
    expect(result).toMatchObject({
      ok: false,
      issues: [{ field: 'hamletId', message: 'Vui lòng chọn thôn/ấp.' }],
    });
  });

  test('an unknown field is refused, so a raw ID number can never be smuggled in', () => {
    const result = validateRecord({ ...makeRecord(), idNumber: '001099012345' });
    expect(result).toMatchObject({ ok: false, issues: [{ field: 'idNumber', code: 'unknown_field' }] });
  });

  test('the schema has no field that could hold a raw ID number, phone or name', () => {
    expect(RECORD_FIELDS).not.toEqual(expect.arrayContaining(['idNumber']));
    for (const f of RECORD_FIELDS) expect(f).not.toMatch(/cccd|cmnd|idnumber|phone|name|passcode|otp/i);
  });

  test('a bad enum value, a bad day and a non-v7 id are each refused', () => {
    const bad = validateRecord({
      ...makeRecord(),
      category: 'vneid_l3',
      occurredOn: '2026-02-30',
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => i.field).sort()).toEqual(['category', 'id', 'occurredOn']);
  });

  test('online filing requires a service from the catalogue', () => {
    const noService = validateRecord(makeRecord({ category: 'online_filing', serviceCode: undefined }));
    expect(noService).toMatchObject({
      ok: false,
      issues: [{ field: 'serviceCode', message: 'Vui lòng chọn dịch vụ công.' }],
    });
    const unknown = validateRecord(makeRecord({ category: 'online_filing', serviceCode: 'ZZ-99' }));
    expect(unknown).toMatchObject({ ok: false, issues: [{ field: 'serviceCode', code: 'unknown_service' }] });
    const known = validateRecord(makeRecord({ category: 'online_filing', serviceCode: 'XA-01' }));
    expect(known.ok).toBe(true);
  });

  test('a failed outcome requires a fail reason and only a failed outcome may carry one', () => {
    expect(validateRecord(makeRecord({ outcome: 'failed', failReason: undefined }))).toMatchObject({
      ok: false,
      issues: [{ field: 'failReason', code: 'required' }],
    });
    expect(validateRecord(makeRecord({ outcome: 'done', failReason: 'no_signal' }))).toMatchObject({
      ok: false,
      issues: [{ field: 'failReason', code: 'not_applicable' }],
    });
  });

  test('VNeID level 2 cannot be recorded as done at the citizen’s home', () => {
    const r = makeRecord({ category: 'vneid_l2', outcome: 'done', place: 'home' });
    expect(validateRecord(r)).toMatchObject({
      ok: false,
      issues: [{ field: 'place', code: 'vneid_l2_at_home' }],
    });
    expect(validateRecord({ ...r, outcome: 'referred' }).ok).toBe(true);
  });

  test('a hamlet outside the commune is refused when the commune is known', () => {
    expect(validateRecord(makeRecord({ hamletId: 'thon-la' }), { hamletIds })).toMatchObject({
      ok: false,
      issues: [{ field: 'hamletId', code: 'unknown_hamlet' }],
    });
  });

  test('a note over 500 characters is too long', () => {
    expect(validateRecord(makeRecord({ note: 'x'.repeat(501) }))).toMatchObject({
      ok: false,
      issues: [{ field: 'note', code: 'too_long' }],
    });
  });

  test('a client may not write citizenKey at all: it is an unknown field, named in the issue', () => {
    for (const citizenKey of ['001099012345', 'a'.repeat(64)])
      expect(validateRecord({ ...makeRecord(), citizenKey })).toMatchObject({
        ok: false,
        issues: [{ field: 'citizenKey', code: 'unknown_field' }],
      });
  });

  test('citizenSeal must have the shape of a sealed ID number (never a raw number), with consent', async () => {
    const consent = {
      consentGiven: true,
      consentMethod: 'spoken',
      consentNotice: CURRENT_CONSENT_NOTICE,
      consentAt: '2026-11-20T08:00:00.000Z',
    } as const;
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const serverKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
    const r = makeRecord();
    const citizenSeal = await sealCitizenId(serverKey, r.id, '001099012345');
    expect(citizenSeal).toMatch(SEALED_CITIZEN_RE);
    expect(citizenSeal).not.toContain('001099012345');
    expect(validateRecord({ ...r, ...consent, citizenSeal }).ok).toBe(true);
    expect(validateRecord({ ...r, ...consent, citizenSeal: '001099012345' }).ok).toBe(false);
    expect(validateRecord({ ...r, citizenSeal })).toMatchObject({
      ok: false,
      issues: [{ field: 'citizenSeal', code: 'consent_required' }],
    });
  });

  test('null optional fields are dropped from the validated value', () => {
    const r = { ...makeRecord(), note: null, place: null };
    const result = validateRecord(r);
    expect(result.ok && 'note' in result.value).toBe(false);
  });
});

describe('a patch', () => {
  test('holds only changed fields and may clear an optional one with null', () => {
    expect(validatePatch({ outcome: 'submitted', note: null }).ok).toBe(true);
  });

  test('may not clear a required field', () => {
    expect(validatePatch({ category: null })).toMatchObject({ ok: false, issues: [{ field: 'category' }] });
  });

  test('applying a patch sets, clears and leaves untouched fields as said', () => {
    const base = makeRecord({ note: 'cũ', outcome: 'follow_up' });
    const merged = applyPatch(base, { note: null, outcome: 'done' });
    expect(merged.note).toBeUndefined();
    expect(merged.outcome).toBe('done');
    expect(merged.hamletId).toBe(base.hamletId);
    expect(base.note).toBe('cũ');
  });

  test('applying the same patch twice gives the same record (idempotent)', () => {
    fc.assert(
      fc.property(
        fc.record({ note: fc.option(fc.string({ maxLength: 20 })), paidOnline: fc.option(fc.boolean()) }),
        (patch) => {
          const base = makeRecord();
          const once = applyPatch(base, patch);
          expect(applyPatch(once, patch)).toEqual(once);
        },
      ),
    );
  });
});

describe('the service catalogue', () => {
  test('is versioned data with 25 services and unique codes', () => {
    expect(SERVICE_CATALOGUE.version).toBeGreaterThanOrEqual(1);
    expect(SERVICE_CATALOGUE.services).toHaveLength(25);
    const codes = SERVICE_CATALOGUE.services.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(SERVICE_CATALOGUE.services.filter((s) => s.agency === 'police')).toHaveLength(13);
  });

  test('LogRecord parses to the same shape the catalogue codes describe', () => {
    expect(LogRecord.safeParse(makeRecord({ category: 'online_filing', serviceCode: 'CA-03' })).success).toBe(
      true,
    );
  });
});
