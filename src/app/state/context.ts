// Typed Svelte context for the phone's state classes: screens read their data from `state/`
// classes handed down this way, never from Dexie or a table (CONTRIBUTING.md,
// "Layers"). Each state module declares its own slot next to its class:
//
//   export const recordsSlot = contextSlot<RecordsState>('records');
//
// The shell provides it once (`recordsSlot.provide(state)` while App.svelte initialises); a screen
// reads it with `recordsSlot.get()`. A component test hands it in without a wrapper component:
//
//   render(RecordsScreen, { context: contextOf(recordsSlot.entry(state)) });
import { getContext, hasContext, setContext } from 'svelte';

export interface ContextSlot<T> {
  /** The state provided above this component; throws, naming the slot, when none was. */
  get(): T;
  /** Provides `value` to this component's descendants (call while the component initialises). */
  provide(value: T): T;
  /** Whether a component above provided this slot. */
  has(): boolean;
  /** A `[key, value]` pair for `contextOf`, for mounting a screen in a test or an island. */
  entry(value: T): readonly [symbol, T];
}

export function contextSlot<T>(name: string): ContextSlot<T> {
  const key = Symbol(name);
  return {
    get() {
      if (!hasContext(key)) throw new Error(`No "${name}" state was provided above this component.`);
      return getContext<T>(key);
    },
    provide: (value) => setContext(key, value),
    has: () => hasContext(key),
    entry: (value) => [key, value] as const,
  };
}

/** The `context` map `mount` and `render` take, from slot entries. */
export function contextOf(...entries: (readonly [symbol, unknown])[]): Map<symbol, unknown> {
  return new Map(entries);
}
