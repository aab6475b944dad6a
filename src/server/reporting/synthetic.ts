// Made-up assistance records for the demo and the bench: deterministic (seeded), valid against the
// shared record rules, spread over days, hamlets, teams, volunteers, categories and outcomes.
// No real person's data: citizen keys are counters written as hex (the counter leads, so the
// 60-bit prefix the tally counts is distinct for distinct citizens).
import { v7 } from 'uuid';
import {
  AGE_BAND_CODES,
  FAIL_REASON_CODES,
  SERVICE_CATALOGUE,
  SEX_CODES,
  type LogRecord,
  type StoredData,
} from '../../shared/index.ts';
import type { BulkRecord } from './seed-bulk.ts';

export interface SyntheticOptions {
  communeCode: string;
  hamletIds: readonly string[];
  /** Each volunteer with their team. */
  volunteers: readonly { id: string; teamId: string }[];
  /** First day (`YYYY-MM-DD`) and how many days from it. */
  from: string;
  days: number;
  seed?: number;
  /** Share of records with a citizen key (default 0.8) and how many distinct keys exist. */
  citizenShare?: number;
  citizens?: number;
}

/** mulberry32: small, fast, good enough for made-up data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIGHTED_CATEGORIES = [
  ['vneid_l2', 5],
  ['vneid_l1', 3],
  ['can_cuoc', 2],
  ['online_filing', 3],
  ['online_payment', 1],
  ['vneid_docs', 2],
  ['app_install', 2],
  ['digital_skills', 1],
  ['other', 1],
] as const;

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** `n` made-up records (a generator: the bench never holds 500k of them at once). */
export function* syntheticRecords(n: number, o: SyntheticOptions): Generator<BulkRecord> {
  const rand = prng(o.seed ?? 1);
  const weights = WEIGHTED_CATEGORIES.flatMap(([c, w]) => Array<string>(w).fill(c));
  const services = SERVICE_CATALOGUE.services.map((s) => s.code);
  const citizens = o.citizens ?? Math.max(1, Math.floor(n * 0.6));
  const share = o.citizenShare ?? 0.8;
  const baseMs = Date.parse(`${o.from}T01:00:00Z`);
  for (let i = 0; i < n; i++) {
    const v = pick(rand, o.volunteers);
    const dayIndex = Math.floor(rand() * o.days);
    const category = pick(rand, weights) as LogRecord['category'];
    const r = rand();
    let outcome: LogRecord['outcome'] =
      r < 0.72 ? 'done' : r < 0.82 ? 'follow_up' : r < 0.9 ? 'referred' : 'failed';
    if (category === 'online_filing' && outcome === 'done') outcome = 'submitted';
    // Stored as the server keeps records: a made-up citizenKey (no ID number behind it), never a seal.
    const record: StoredData = {
      id: v7({ msecs: baseMs + dayIndex * 86_400_000 + Math.floor(rand() * 36_000_000) }),
      occurredOn: addDays(o.from, dayIndex),
      hamletId: pick(rand, o.hamletIds),
      category,
      outcome,
      place: category === 'vneid_l2' ? 'commune_office' : rand() < 0.5 ? 'home' : 'hamlet_hall',
      ageBand: pick(rand, AGE_BAND_CODES),
      sex: pick(rand, SEX_CODES),
    };
    if (category === 'online_filing' || (category === 'online_payment' && rand() < 0.5))
      record.serviceCode = pick(rand, services);
    if (category === 'online_payment' || category === 'online_filing') record.paidOnline = rand() < 0.6;
    if (outcome === 'failed') record.failReason = pick(rand, FAIL_REASON_CODES);
    if (outcome === 'follow_up') record.followUpOn = addDays(record.occurredOn, 7);
    if (rand() < share)
      record.citizenKey = `${Math.floor(rand() * citizens)
        .toString(16)
        .padStart(15, '0')
        .repeat(4)}0000`;
    yield { record, communeCode: o.communeCode, teamId: v.teamId, volunteerId: v.id };
  }
}
