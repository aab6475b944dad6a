// The pull cursor: opaque base64url JSON `{ v, s, f?, k }` — the last version the client holds, the
// scope key it was made for, whether a snapshot goes on, and that the cursor says so. Anything that
// does not decode is treated as "start over".
import * as z from 'zod/mini';

export interface Cursor {
  /** Every change with version ≤ v in the scope has been handed out. */
  v: number;
  /** scopeKey() of the caller when the cursor was made. */
  s: string;
  /** 1: the next page continues a snapshot (a first pull or a reset spanning several pages). */
  f?: 1;
  /**
   * 1 on every cursor made since snapshots are marked (`f`). A cursor without it came from an older
   * server and cannot say whether a snapshot was going on, so its pull leaves nothing out.
   */
  k?: 1;
  /**
   * The restore epoch the cursor was made in (the server's `restored_below`), absent before any
   * restore. A cursor below the last restore's gap without this mark came from the lost history.
   */
  e?: number;
}

const CursorShape = z.strictObject({
  v: z.int().check(z.gte(0)),
  s: z.string().check(z.minLength(1), z.maxLength(64)),
  f: z.optional(z.literal(1)),
  k: z.optional(z.literal(1)),
  e: z.optional(z.int().check(z.gte(1))),
});

export function encodeCursor(c: Cursor): string {
  const shape = {
    v: c.v,
    s: c.s,
    ...(c.f === 1 ? { f: 1 } : {}),
    k: 1,
    ...(c.e !== undefined && c.e > 0 ? { e: c.e } : {}),
  };
  return Buffer.from(JSON.stringify(shape), 'utf8').toString('base64url');
}

/** The cursor, or null when it is absent, not base64url JSON, or not of the expected shape. */
export function decodeCursor(text: string | null | undefined): Cursor | null {
  if (!text || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const parsed = CursorShape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
