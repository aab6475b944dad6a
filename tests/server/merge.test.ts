// The pure field merge: examples for each rule, and properties over random edits (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergePatch, mergeStatus, stampMeta, storedWins, type Writer } from '../../src/server/sync/merge.ts';
import type { FieldMetaMap } from '../../src/server/store/store.ts';

const vol: Writer = { userId: 'u-vol', role: 'volunteer' };
const vol2: Writer = { userId: 'u-vol2', role: 'volunteer' };
const lead: Writer = { userId: 'u-lead', role: 'lead' };

const base = { id: 'r', note: 'a', place: 'home', outcome: 'done' };
const createdMeta = stampMeta({}, Object.keys(base), 1, vol);

describe('mergePatch', () => {
  it('applies a patch with no concurrent change and answers applied', () => {
    const o = mergePatch({
      data: base,
      meta: createdMeta,
      patch: { note: 'b' },
      baseVersion: 1,
      writer: vol,
    });
    expect(o.data).toEqual({ ...base, note: 'b' });
    expect(o.changed).toEqual(['note']);
    expect(o.replaced).toEqual({ note: 'a' });
    expect(mergeStatus(o)).toBe('applied');
  });

  it('clears a field given as null', () => {
    const o = mergePatch({
      data: base,
      meta: createdMeta,
      patch: { place: null },
      baseVersion: 1,
      writer: vol,
    });
    expect(o.data).not.toHaveProperty('place');
    expect(o.replaced).toEqual({ place: 'home' });
  });

  it("keeps a lead's newer value against a volunteer's stale edit and reports the loss", () => {
    const meta = stampMeta(createdMeta, ['note'], 2, lead);
    const data = { ...base, note: 'lead' };
    const o = mergePatch({ data, meta, patch: { note: 'vol' }, baseVersion: 1, writer: vol });
    expect(o.data.note).toBe('lead');
    expect(o.changed).toEqual([]);
    expect(o.lost).toEqual({ note: { value: 'vol', by: 'u-vol', role: 'volunteer' } });
    expect(mergeStatus(o)).toBe('conflict');
  });

  it('lets the last arrival win between two volunteers and keeps the replaced value as lost', () => {
    const meta = stampMeta(createdMeta, ['note'], 2, vol2);
    const data = { ...base, note: 'vol2' };
    const o = mergePatch({ data, meta, patch: { note: 'vol' }, baseVersion: 1, writer: vol });
    expect(o.data.note).toBe('vol');
    expect(o.lost).toEqual({ note: { value: 'vol2', by: 'u-vol2', role: 'volunteer' } });
    expect(mergeStatus(o)).toBe('merged');
  });

  it('merges edits of different fields and answers merged', () => {
    const meta = stampMeta(createdMeta, ['place'], 2, lead);
    const data = { ...base, place: 'commune_office' };
    const o = mergePatch({ data, meta, patch: { note: 'b' }, baseVersion: 1, writer: vol });
    expect(o.data).toEqual({ ...base, place: 'commune_office', note: 'b' });
    expect(mergeStatus(o)).toBe('merged');
  });

  it('does not let device times make a conflict, and drops them when the edit lost everything', () => {
    const meta = stampMeta(createdMeta, ['note', 'updatedAt'], 2, lead);
    const data = { ...base, note: 'lead', updatedAt: '2025-10-02T00:00:00Z' };
    const lost = mergePatch({
      data,
      meta,
      patch: { note: 'vol', updatedAt: '2025-10-03T00:00:00Z' },
      baseVersion: 1,
      writer: vol,
    });
    expect(lost.data.updatedAt).toBe('2025-10-02T00:00:00Z');
    expect(Object.keys(lost.lost)).toEqual(['note']);
    const won = mergePatch({
      data,
      meta,
      patch: { place: 'other', updatedAt: '2025-10-03T00:00:00Z' },
      baseVersion: 1,
      writer: vol,
    });
    expect(won.data.updatedAt).toBe('2025-10-03T00:00:00Z');
    expect(mergeStatus(won)).toBe('merged');
  });

  it('ranks a lead above a volunteer and nobody above an equal', () => {
    expect(storedWins('lead', 'volunteer')).toBe(true);
    expect(storedWins('volunteer', 'lead')).toBe(false);
    expect(storedWins('lead', 'lead')).toBe(false);
    expect(storedWins('volunteer', 'volunteer')).toBe(false);
  });
});

// ---- properties ------------------------------------------------------------------------------

const FIELDS = ['note', 'place', 'outcome', 'sex'] as const;
const value = fc.constantFrom('x', 'y', 'z', null);
const patchArb = fc
  .dictionary(fc.constantFrom(...FIELDS), value, { minKeys: 1, maxKeys: 4 })
  .map((p) => p as Record<string, unknown>);
const writerArb = fc.constantFrom(vol, vol2, lead);
/** A client sends only fields it changed from its base, so a real patch differs from the start record. */
const diffArb = patchArb.filter((p) =>
  Object.entries(p).every(([k, v]) => ((base as Record<string, unknown>)[k] ?? null) !== v),
);

interface State {
  data: Record<string, unknown>;
  meta: FieldMetaMap;
  version: number;
}

/** What the server does with one update: merge, then bump the version if anything changed. */
function serverApply(s: State, patch: Record<string, unknown>, baseVersion: number, writer: Writer): State {
  const o = mergePatch({ data: s.data, meta: s.meta, patch, baseVersion, writer });
  if (o.changed.length === 0) return s;
  const version = s.version + 1;
  return { data: o.data, meta: stampMeta(s.meta, o.changed, version, writer), version };
}

const start: State = { data: { ...base }, meta: createdMeta, version: 1 };

describe('mergePatch properties', () => {
  it('applies a patch exactly when nobody else wrote since its base', () => {
    fc.assert(
      fc.property(patchArb, writerArb, (patch, writer) => {
        const o = mergePatch({ data: start.data, meta: start.meta, patch, baseVersion: 1, writer });
        const expected: Record<string, unknown> = { ...start.data };
        for (const [k, v] of Object.entries(patch))
          if (v === null) delete expected[k];
          else expected[k] = v;
        expect(o.data).toEqual(expected);
        expect(mergeStatus(o)).toBe('applied');
      }),
    );
  });

  it("never lets a volunteer's stale edit overwrite a field a lead changed after its base", () => {
    fc.assert(
      fc.property(patchArb, patchArb, (leadPatch, volPatch) => {
        const afterLead = serverApply(start, leadPatch, 1, lead);
        const o = mergePatch({
          data: afterLead.data,
          meta: afterLead.meta,
          patch: volPatch,
          baseVersion: 1,
          writer: vol,
        });
        for (const f of Object.keys(leadPatch)) {
          if (afterLead.meta[f]?.by === 'u-lead') expect(o.data[f]).toEqual(afterLead.data[f]);
        }
      }),
    );
  });

  it('converges to the same record whichever of a lead and a volunteer arrives first', () => {
    fc.assert(
      fc.property(diffArb, diffArb, (leadPatch, volPatch) => {
        const a = serverApply(serverApply(start, leadPatch, 1, lead), volPatch, 1, vol);
        const b = serverApply(serverApply(start, volPatch, 1, vol), leadPatch, 1, lead);
        expect(a.data).toEqual(b.data);
      }),
    );
  });

  it('ends every patched field at either the incoming or the stored value, never a third', () => {
    fc.assert(
      fc.property(patchArb, patchArb, writerArb, writerArb, (p1, p2, w1, w2) => {
        const s1 = serverApply(start, p1, 1, w1);
        const o = mergePatch({ data: s1.data, meta: s1.meta, patch: p2, baseVersion: 1, writer: w2 });
        for (const [f, v] of Object.entries(p2)) {
          const got = o.data[f] ?? null;
          expect([v ?? null, s1.data[f] ?? null]).toContainEqual(got);
          if (got !== (v ?? null)) expect(o.incomingLost).toContain(f);
        }
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(patchArb, writerArb, fc.integer({ min: 0, max: 3 }), (patch, writer, baseVersion) => {
        const s = serverApply(start, { note: 'q' }, 1, lead);
        const args = { data: s.data, meta: s.meta, patch, baseVersion, writer };
        expect(mergePatch(args)).toEqual(mergePatch(args));
      }),
    );
  });
});

describe('stampMeta', () => {
  it('marks only the changed fields with the new version and writer', () => {
    const meta = stampMeta(createdMeta, ['note'], 5, lead);
    expect(meta.note).toEqual({ v: 5, by: 'u-lead', role: 'lead' });
    expect(meta.place).toEqual({ v: 1, by: 'u-vol', role: 'volunteer' });
  });
});
