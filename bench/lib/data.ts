// Bench data made with a fixed seed: records across the demo commune's hamlets, categories,
// outcomes and services. Generated, never real people.
import {
  CATEGORY_CODES,
  FAIL_REASON_CODES,
  OUTCOME_CODES,
  PLACE_CODES,
  SERVICE_CATALOGUE,
  type LogRecord,
} from '../../src/shared/index.ts';
import { v7 } from 'uuid';

export const DEMO_HAMLETS = ['thon-dong', 'thon-tay', 'thon-nam', 'thon-bac'];

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/** `n` valid records, reproducible for a seed; dates spread over ~3 months. */
export function makeRecords(n: number, seed = 42, hamlets = DEMO_HAMLETS): LogRecord[] {
  const rand = rng(seed);
  const out: LogRecord[] = [];
  const start = Date.UTC(2026, 8, 1);
  for (let i = 0; i < n; i++) {
    const category = pick(rand, CATEGORY_CODES);
    let outcome = pick(rand, OUTCOME_CODES);
    const place = pick(rand, PLACE_CODES);
    if (category === 'vneid_l2' && place === 'home' && outcome === 'done') outcome = 'referred';
    const day = new Date(start + Math.floor(rand() * 90) * 86_400_000).toISOString().slice(0, 10);
    const ms = start + i * 1000;
    const r: LogRecord = {
      id: v7({ msecs: ms, random: Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256)) }),
      occurredOn: day,
      hamletId: pick(rand, hamlets),
      category,
      outcome,
      place,
      createdAt: new Date(ms).toISOString(),
      updatedAt: new Date(ms).toISOString(),
    };
    if (category === 'online_filing') r.serviceCode = pick(rand, SERVICE_CATALOGUE.services).code;
    if (category === 'online_filing' || category === 'online_payment') r.paidOnline = rand() < 0.4;
    if (outcome === 'failed') r.failReason = pick(rand, FAIL_REASON_CODES);
    out.push(r);
  }
  return out;
}
