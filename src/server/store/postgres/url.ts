// DATABASE_URL for PostgreSQL: a standard postgres:// URL, plus an optional `?schema=name` that puts
// every table of this server in that schema (several deployments or test runs in one database).
import { StoreConfigError } from '../store.ts';

/** Plain lower-case identifiers only, so the name never needs quoting in SQL. */
export const SCHEMA_NAME_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresTarget {
  /** The URL without the `schema` parameter, as `pg` reads it. */
  connectionString: string;
  /** null: the role's default search_path (normally `public`). */
  schema: string | null;
}

export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME_RE.test(schema))
    throw new StoreConfigError(
      `The PostgreSQL schema "${schema}" is not a plain name: use lower-case letters, digits and _ ` +
        '(at most 63, not starting with a digit).',
    );
  return schema;
}

export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL may hold a password: never repeat it in the message.
    throw new StoreConfigError('DATABASE_URL is not a valid postgres:// URL.');
  }
  if (!isPostgresUrl(url)) throw new StoreConfigError('DATABASE_URL must start with postgres://.');
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  return {
    connectionString: parsed.toString(),
    schema: schema === null || schema === '' ? null : checkSchemaName(schema),
  };
}
