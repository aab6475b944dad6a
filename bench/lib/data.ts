// Bench data made with a fixed seed: records across the demo commune's hamlets, categories,
// outcomes and services, and a share of them with a citizen's ID number sealed for the server as a
// phone sends it. Generated, never real people.
import {
  BIRTH_PROVINCE_CODES,
  CATEGORY_CODES,
  CURRENT_CONSENT_NOTICE,
  FAIL_REASON_CODES,
  OUTCOME_CODES,
  PLACE_CODES,
  SERVICE_CATALOGUE,
  sealCitizenId,
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

/** Share of records with a typed ID number (the volunteers' estimate: follow-ups, VNeID level 2). */
export const CITIZEN_SHARE = 0.3;

const PROVINCES = [...BIRTH_PROVINCE_CODES].sort();

/**
 * The ID number typed for each record, or undefined (about CITIZEN_SHARE of them have one), from
 * a stream of its own so the records themselves stay those of earlier runs. Citizens come from a
 * pool of about 0.7 per record with a number, so some return: plausible in shape (a real
 * birth-province code, a 4th digit of 0–3), made from the seed, never a real person's.
 */
export function citizenIdsOf(n: number, seed: number, share = CITIZEN_SHARE): (string | undefined)[] {
  const rand = rng(seed ^ 0x5eed_c1d5);
  const pool = Math.max(1, Math.round(n * share * 0.7));
  return Array.from({ length: n }, () => {
    if (rand() >= share) return undefined;
    const who = rng(seed * 31 + Math.floor(rand() * pool));
    let tail = '';
    for (let k = 0; k < 8; k++) tail += String(Math.floor(who() * 10));
    return pick(who, PROVINCES) + String(Math.floor(who() * 4)) + tail;
  });
}

/**
 * Each number sealed for the server (`citizenSeal` of a create, bound to its record id) with
 * the public key from the login answer (`commune.contactKey`), as the phone does (one ECDH each).
 */
export function sealCitizenIds(
  serverPublicKey: string,
  records: readonly LogRecord[],
  ids: readonly (string | undefined)[],
): Promise<(string | undefined)[]> {
  return Promise.all(
    records.map((r, i) => (ids[i] ? sealCitizenId(serverPublicKey, r.id, ids[i]) : undefined)),
  );
}

/** The records with their seals and the consent that must go with a seal (shared/record.ts). */
export function withSeals(
  records: readonly LogRecord[],
  seals: readonly (string | undefined)[],
): LogRecord[] {
  return records.map((r, i) =>
    seals[i]
      ? {
          ...r,
          citizenSeal: seals[i],
          consentGiven: true,
          consentMethod: 'spoken',
          consentNotice: CURRENT_CONSENT_NOTICE,
          consentAt: r.createdAt,
        }
      : r,
  );
}
