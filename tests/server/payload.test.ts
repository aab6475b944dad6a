// The push mutation's depth bound and payload hash (src/server/sync/payload.ts), pure: where the
// bound falls, that a 5,000-deep value is walked without overflowing, and what the hash tells apart.
import { describe, expect, it } from 'vitest';
import { newId, type Mutation } from '../../src/shared/index.ts';
import { MAX_PATCH_DEPTH, payloadHash, tooDeepFields } from '../../src/server/sync/payload.ts';

function nested(depth: number): unknown {
  // The patch is level 1; a field holding an object is level 2: nested(n) has objects at levels 2…n.
  let v: unknown = 1;
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

const sealed = (tag: string): string => `v1.${'A'.repeat(87)}.${tag.padEnd(16, 'x')}.${'B'.repeat(40)}`;

function mutation(overrides: Partial<Mutation> = {}): Mutation {
  const recordId = '01a2205b-e74b-7730-ada2-8b9101c30011';
  return {
    seq: 1,
    mutationId: newId(),
    recordId,
    op: 'upsert',
    baseVersion: null,
    patch: { id: recordId, note: 'ghi chú', outcome: 'done' },
    ...overrides,
  };
}

describe('the depth bound of a patch', () => {
  it('admits values nested up to the bound and names the fields nested deeper', () => {
    expect(tooDeepFields({ ok: nested(MAX_PATCH_DEPTH), flat: 'x' })).toEqual([]);
    expect(tooDeepFields({ ok: nested(MAX_PATCH_DEPTH), deep: nested(MAX_PATCH_DEPTH + 1) })).toEqual([
      'deep',
    ]);
  });

  it('walks a value 5,000 deep, arrays or objects, without overflowing the stack', () => {
    const arrays = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`) as unknown;
    const objects = JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`) as unknown;
    expect(tooDeepFields({ arrays, objects })).toEqual(['arrays', 'objects']);
    expect(payloadHash(mutation({ patch: { note: arrays } }))).toBeNull();
  });
});

describe('the payload hash of a mutation', () => {
  it('is the same for the same mutation whatever its key order, seq or mutationId, and for null or 0 as base', () => {
    const m = mutation();
    const reordered = {
      ...m,
      seq: 9,
      mutationId: newId(),
      patch: Object.fromEntries(Object.entries(m.patch!).reverse()),
    };
    expect(payloadHash(reordered)).toBe(payloadHash(m));
    expect(payloadHash({ ...m, baseVersion: 0 })).toBe(payloadHash(m));
  });

  it('differs for another record, op, base version or patch', () => {
    const m = mutation();
    const h = payloadHash(m);
    expect(payloadHash({ ...m, recordId: newId() })).not.toBe(h);
    expect(payloadHash({ ...m, op: 'delete' })).not.toBe(h);
    expect(payloadHash({ ...m, baseVersion: 3 })).not.toBe(h);
    expect(payloadHash({ ...m, patch: { ...m.patch, note: 'khác' } })).not.toBe(h);
    expect(payloadHash({ ...m, patch: { ...m.patch, place: 'home' } })).not.toBe(h);
  });

  it('counts a sealed value by its presence only: sealed again is the same, cleared is not', () => {
    const m = mutation({ patch: { ...mutation().patch, contact: sealed('one') } });
    expect(payloadHash({ ...m, patch: { ...m.patch, contact: sealed('two') } })).toBe(payloadHash(m));
    expect(payloadHash({ ...m, patch: { ...m.patch, contact: null } })).not.toBe(payloadHash(m));
  });
});
