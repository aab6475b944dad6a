// Generated test data: records made from the catalogue with a seeded generator. No real
// personal data anywhere (CONTRIBUTING.md). A record a client writes has no citizenKey (only the
// server makes one, from a sealed ID number); fakeCitizenKey is for rows written to a store directly.
import {
  CATEGORY_CODES,
  OUTCOME_CODES,
  SERVICE_CATALOGUE,
  newId,
  type LogRecord,
} from '../../src/shared/index.ts';
import { rng, testRandom } from './seed.ts';

/** Seeded generators live in seed.ts; many tests import them from here. */
export { rng };

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

export function fakeCitizenKey(rand: () => number = testRandom): string {
  let s = '';
  for (let i = 0; i < 64; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

/** A valid record; `overrides` win. */
export function makeRecord(overrides: Partial<LogRecord> = {}, rand: () => number = testRandom): LogRecord {
  const category = overrides.category ?? pick(rand, CATEGORY_CODES);
  const outcome = overrides.outcome ?? pick(rand, OUTCOME_CODES);
  const record: LogRecord = {
    id: newId(),
    occurredOn: '2026-11-20',
    hamletId: 'thon-dong',
    category,
    outcome,
    createdAt: '2026-11-20T08:00:00.000Z',
    updatedAt: '2026-11-20T08:00:00.000Z',
  };
  if (category === 'online_filing') record.serviceCode = pick(rand, SERVICE_CATALOGUE.services).code;
  if (outcome === 'failed') record.failReason = 'no_signal';
  return { ...record, ...overrides };
}
