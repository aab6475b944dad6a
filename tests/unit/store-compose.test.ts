import { describe, expect, it } from 'vitest';
import { HELPERS, compose, Delegating } from '../../src/server/store/compose.ts';

class Base {
  static readonly [HELPERS] = true;
  protected prefix(): string {
    return 'p:';
  }
}
class Reads extends Base {
  constructor(private readonly name: string) {
    super();
  }
  read(): string {
    return this.prefix() + this.name;
  }
  who(): string {
    return 'reads';
  }
}
class Writes extends Reads {
  override who(): string {
    return 'writes';
  }
}
class Other {
  count = 0;
  bump(): number {
    return ++this.count;
  }
}

describe('store composition', () => {
  it('binds each method to its own part, an override winning over its base', () => {
    const other = new Other();
    const c = compose(new Writes('x'), other);
    const { read, bump } = c;
    expect(read()).toBe('p:x');
    expect(c.who()).toBe('writes');
    expect(bump()).toBe(1);
    expect(other.count).toBe(1);
  });

  it('leaves out the helpers of a HELPERS base and the parts’ fields', () => {
    const c = compose(new Reads('y')) as unknown as Record<string, unknown>;
    expect(Object.keys(c).sort()).toEqual(['read', 'who']);
  });

  it('refuses two parts that define the same method', () => {
    expect(() => compose(new Reads('a'), new Writes('b'))).toThrow(/two domains define who/);
  });

  it('gives a Delegating subclass the composed methods beside its own', () => {
    class Store extends Delegating<{ read(): string }>() {
      own(): string {
        return `own ${this.read()}`;
      }
    }
    expect(new Store(compose(new Reads('z'))).own()).toBe('own p:z');
  });
});
