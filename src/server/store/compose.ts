// Reads and Tx are built from one object per domain, so neither store writes a forwarding method
// for each domain method (the SQLite and PostgreSQL stores share this one builder).

/** Marks a base class whose methods are helpers for its subclasses' SQL, not domain methods. */
export const HELPERS = Symbol('store part helpers');

type Intersect<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/**
 * One object holding every method of every part (its own and its classes', not Object's nor a
 * HELPERS base's), each bound to its part. Two parts with a method of the same name are a mistake in the composition.
 */
export function compose<P extends readonly object[]>(...parts: P): Intersect<P[number]> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    const seen = new Set<string>();
    for (
      let o: object | null = part;
      o && o !== Object.prototype;
      o = Object.getPrototypeOf(o) as object | null
    ) {
      if (Object.hasOwn((o as { constructor: object }).constructor, HELPERS)) break;
      for (const name of Object.getOwnPropertyNames(o)) {
        const value: unknown = Object.getOwnPropertyDescriptor(o, name)?.value;
        // A subclass's override comes first in the walk and wins over its base's method.
        if (name === 'constructor' || typeof value !== 'function' || seen.has(name)) continue;
        if (name in out) throw new Error(`store composition: two domains define ${name}`);
        seen.add(name);
        out[name] = (value as (...args: unknown[]) => unknown).bind(part);
      }
    }
  }
  return out as Intersect<P[number]>;
}

/** A base class whose instances carry the methods of `T` taken from the object its constructor gets. */
export function Delegating<T extends object>(): new (impl: T) => T {
  return class {
    constructor(impl: T) {
      Object.assign(this, impl);
    }
  } as unknown as new (impl: T) => T;
}
