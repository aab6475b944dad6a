// Field-level merge of a patch into a stored record (sync-protocol.md, "Push semantics"). Pure and
// deterministic: the same stored state and the same patch always give the same outcome.
import type { MutationStatus, Role } from '../../shared/index.ts';
import type { FieldMeta, FieldMetaMap } from '../store/store.ts';

/**
 * Device times: every edit sets `updatedAt`, so treating them as contested fields would turn every
 * concurrent edit into a conflict. They follow the mutation: written when it wins anything.
 */
export const INFORMATIVE_FIELDS: ReadonlySet<string> = new Set(['createdAt', 'updatedAt']);

export interface Writer {
  userId: string;
  role: Role;
}

export interface LostValue {
  /** The value that lost (null when the losing side had the field empty). */
  value: unknown;
  by: string;
  role: Role;
}

export interface MergeInput {
  /** Stored client fields (no id/volunteerId handling here). */
  data: Readonly<Record<string, unknown>>;
  meta: Readonly<FieldMetaMap>;
  /** A validated patch; `null` clears a field. */
  patch: Readonly<Record<string, unknown>>;
  /** The version the client's edit was based on (0 when it never saw one). */
  baseVersion: number;
  writer: Writer;
}

export interface MergeOutcome {
  data: Record<string, unknown>;
  /** Fields whose stored value changed. */
  changed: string[];
  /** What was actually written: field → new value (null = cleared). */
  applied: Record<string, unknown>;
  /** The values the write replaced, for history: field → old value (null = was empty). */
  replaced: Record<string, unknown>;
  /** Values that lost a same-field conflict, from either side. */
  lost: Record<string, LostValue>;
  /** For each field in `lost`, the value that won it (from either side). */
  won: Record<string, LostValue>;
  /** Fields where this mutation's value lost. */
  incomingLost: string[];
  /** Someone else changed some field after baseVersion. */
  concurrent: boolean;
}

const RANK: Record<Role, number> = { volunteer: 0, lead: 1, supervisor: 2, admin: 2 };

/** True when the stored edit (by `stored`) beats an arriving edit by `incoming`: a lead beats a volunteer. */
export function storedWins(stored: Role, incoming: Role): boolean {
  return RANK[stored] > RANK[incoming];
}

/** A field changed by someone else after the client's base version. */
export function isConcurrent(meta: FieldMeta | undefined, baseVersion: number, writer: Writer): boolean {
  return meta !== undefined && meta.v > baseVersion && meta.by !== writer.userId;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function mergePatch(input: MergeInput): MergeOutcome {
  const { data, meta, patch, baseVersion, writer } = input;
  const out: Record<string, unknown> = { ...data };
  const outcome: MergeOutcome = {
    data: out,
    changed: [],
    applied: {},
    replaced: {},
    lost: {},
    won: {},
    incomingLost: [],
    concurrent: Object.entries(meta).some(
      ([f, m]) => !INFORMATIVE_FIELDS.has(f) && isConcurrent(m, baseVersion, writer),
    ),
  };
  const write = (field: string, value: unknown): void => {
    if (same(out[field], value)) return;
    outcome.replaced[field] = out[field] ?? null;
    outcome.applied[field] = value ?? null;
    outcome.changed.push(field);
    if (value === null || value === undefined) delete out[field];
    else out[field] = value;
  };

  const fields = Object.keys(patch)
    .filter((f) => patch[f] !== undefined)
    .sort();
  const contested = fields.filter((f) => !INFORMATIVE_FIELDS.has(f));
  for (const field of contested) {
    const incoming = patch[field] ?? null;
    const current = data[field] ?? null;
    const m = meta[field];
    if (m === undefined || !isConcurrent(m, baseVersion, writer) || same(incoming, current)) {
      write(field, incoming);
    } else if (storedWins(m.role, writer.role)) {
      outcome.lost[field] = { value: incoming, by: writer.userId, role: writer.role };
      outcome.won[field] = { value: current, by: m.by, role: m.role };
      outcome.incomingLost.push(field);
    } else {
      outcome.lost[field] = { value: current, by: m.by, role: m.role };
      outcome.won[field] = { value: incoming, by: writer.userId, role: writer.role };
      write(field, incoming);
    }
  }
  // Device times follow the mutation unless it lost on every field it contested.
  const wonSomething = contested.length === 0 || outcome.incomingLost.length < contested.length;
  if (wonSomething)
    for (const field of fields.filter((f) => INFORMATIVE_FIELDS.has(f))) write(field, patch[field]);
  return outcome;
}

/** Field meta after a write: every changed field now carries the new version and its writer. */
export function stampMeta(
  meta: Readonly<FieldMetaMap>,
  fields: readonly string[],
  version: number,
  writer: Writer,
): FieldMetaMap {
  const next: FieldMetaMap = { ...meta };
  for (const f of fields) next[f] = { v: version, by: writer.userId, role: writer.role };
  return next;
}

/** The status of an update: `conflict` when this mutation lost a field, `merged` when it met others' changes. */
export function mergeStatus(o: Pick<MergeOutcome, 'incomingLost' | 'concurrent'>): MutationStatus {
  if (o.incomingLost.length > 0) return 'conflict';
  return o.concurrent ? 'merged' : 'applied';
}
