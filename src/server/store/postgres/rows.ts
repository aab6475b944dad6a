// How `pg` returns and takes values: BIGINT comes back as a number, TIMESTAMPTZ as an ISO string,
// JSONB already parsed (the row mapping itself is shared: store/rows.ts).
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';

const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text');

/**
 * Per pool, not global: versions stay far below 2^53, and the Store speaks ISO strings for times
 * (as SQLite stores them), so both stores answer alike.
 */
export const PG_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (text: string) => Number(text);
    if (oid === TIMESTAMPTZ_OID) return (text: string) => (parseTimestamptz(text) as Date).toISOString();
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

/** A JSONB parameter: always sent as JSON text (pg would turn a JS array into a PG array). */
export function json(v: unknown): string {
  return JSON.stringify(v);
}
