// The engine's code loads on the first sync: listeners registered before it hear its runs, two
// syncs at once load it once, and a failed load fails that sync only.
import { describe, expect, it } from 'vitest';
import type { SyncEngine, SyncEngineOptions, SyncEvent, SyncOutcome } from '../../src/app/sync/engine.ts';
import { LazyEngine } from '../../src/app/sync/lazy-engine.ts';

/** Stands in for the engine module: counts constructions and emits a start and an end per run. */
function fakeModule(outcome: SyncOutcome = 'ok') {
  const made: SyncEngineOptions[] = [];
  class FakeEngine {
    running = false;
    readonly #listeners = new Set<(e: SyncEvent) => void>();
    constructor(options: SyncEngineOptions) {
      made.push(options);
    }
    subscribe(listener: (e: SyncEvent) => void) {
      this.#listeners.add(listener);
      return () => this.#listeners.delete(listener);
    }
    async syncNow(): Promise<SyncOutcome> {
      this.running = true;
      for (const l of this.#listeners) l({ type: 'start' } as SyncEvent);
      await Promise.resolve();
      this.running = false;
      for (const l of this.#listeners) l({ type: 'end', outcome } as SyncEvent);
      return outcome;
    }
  }
  return { made, module: { SyncEngine: FakeEngine as unknown as typeof SyncEngine } };
}

const options = {} as SyncEngineOptions;

describe('LazyEngine', () => {
  it('loads nothing until the first sync, then loads once for two syncs at once', async () => {
    const fake = fakeModule();
    let loads = 0;
    const engine = new LazyEngine(options, async () => {
      loads++;
      return fake.module;
    });
    expect(loads).toBe(0);
    expect(engine.running).toBe(false);
    const outcomes = await Promise.all([engine.syncNow(), engine.syncNow()]);
    expect(outcomes).toEqual(['ok', 'ok']);
    expect(loads).toBe(1);
    expect(fake.made).toEqual([options]);
  });

  it('passes the runs to listeners registered before the code loaded, until they leave', async () => {
    const fake = fakeModule('offline');
    const engine = new LazyEngine(options, async () => fake.module);
    const heard: string[] = [];
    const off = engine.subscribe((e) => heard.push(e.type === 'end' ? `end:${e.outcome}` : e.type));
    expect(await engine.syncNow()).toBe('offline');
    expect(heard).toEqual(['start', 'end:offline']);
    off();
    await engine.syncNow();
    expect(heard).toHaveLength(2);
  });

  it('answers "failed" when the code cannot load, and tries again on the next sync', async () => {
    const fake = fakeModule();
    let attempts = 0;
    const engine = new LazyEngine(options, async () => {
      if (++attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return fake.module;
    });
    expect(await engine.syncNow()).toBe('failed');
    expect(await engine.syncNow()).toBe('ok');
    expect(attempts).toBe(2);
  });

  it('loads the real engine module by default', async () => {
    const engine = new LazyEngine(options);
    const real = await engine.engine();
    expect(real.constructor.name).toBe('SyncEngine');
  });
});
