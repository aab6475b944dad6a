// Text both stores can keep: PostgreSQL refuses U+0000 and lone UTF-16 surrogates (SQLite would not),
// so such input is refused up front on either store — both answer alike, never with a 500.
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what must be found.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Walked with a stack of its own, not by recursion: a body nested 5,000 deep must not overflow. */
export function isStorable(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return false;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        if (UNSTORABLE.test(k)) return false;
        stack.push(item);
      }
    }
  }
  return true;
}

/** The top-level fields of `value` holding (at any depth) text that cannot be stored. */
export function unstorableFields(value: unknown, skip: readonly string[] = []): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return isStorable(value) ? [] : ['_'];
  return Object.entries(value)
    .filter(([k, v]) => !skip.includes(k) && (UNSTORABLE.test(k) || !isStorable(v)))
    .map(([k]) => k);
}
