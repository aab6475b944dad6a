// Where the user is: one place per hash route (`#/records`, `#/records/<id>` while editing), so the
// Back button, deep links and a reload behave as in any app. The places a role may open are fixed
// here; an unknown or forbidden place falls back to the role's home.
import type { Role } from '../../shared/index.ts';
import { contextSlot } from './context.ts';

export type Place =
  | 'capture'
  | 'records'
  | 'tallies'
  | 'storage'
  | 'team'
  | 'conflicts'
  | 'dashboard'
  | 'admin'
  | 'subjects'
  | 'handoff'
  | 'cards'
  | 'sessions'
  | 'more';

/** The bottom bar (at most five, "Thêm" last) and the places behind "Thêm", per role. */
export interface RolePlaces {
  bar: readonly Place[];
  more: readonly Place[];
}

const PLACES: Record<Role, RolePlaces> = {
  volunteer: {
    bar: ['capture', 'records', 'tallies', 'handoff', 'more'],
    more: ['sessions', 'cards', 'storage'],
  },
  lead: {
    bar: ['capture', 'records', 'team', 'tallies', 'more'],
    more: ['sessions', 'cards', 'handoff', 'storage', 'conflicts', 'dashboard'],
  },
  // Supervisors and admins write nothing through sync: no capture, no own records.
  supervisor: { bar: ['dashboard', 'more'], more: ['cards', 'storage'] },
  // The admin's "Sinh hoạt nhóm" is the commune's topic list for group sessions.
  admin: { bar: ['dashboard', 'admin', 'subjects', 'more'], more: ['cards', 'sessions', 'storage'] },
};

export function placesFor(role: Role): RolePlaces {
  return PLACES[role];
}

export function homeOf(role: Role): Place {
  return PLACES[role].bar[0]!;
}

export function allowed(role: Role, place: string): place is Place {
  const { bar, more } = PLACES[role];
  return (bar as readonly string[]).includes(place) || (more as readonly string[]).includes(place);
}

/** The place a bar item stands for: a place behind "Thêm" lights up "Thêm". */
export function barPlace(role: Role, place: Place): Place {
  return PLACES[role].bar.includes(place) ? place : 'more';
}

/** `#/records/<id>` → { place: 'records', recordId: '<id>' }; anything not `#/…` → null. */
export function parseHash(hash: string): { place: string; recordId: string | null } | null {
  if (!hash.startsWith('#/')) return null;
  const [place = '', id] = hash.slice(2).split('/');
  return { place, recordId: id ? decodeURIComponent(id) : null };
}

interface Location {
  hash: string;
  replace(url: string): void;
}
interface Window {
  location: Location;
  history: { back(): void };
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}

export class Router {
  #hash = $state('');
  /** The editor was opened by a push of this tab: closing it goes Back, out of the history. */
  #pushedEditor = false;
  readonly #win: Window;
  readonly #roleOf: () => Role | null;

  /** `roleOf`: the signed-in user's role (null signed out), read reactively: it decides the places. */
  constructor(roleOf: () => Role | null, win: Window = window) {
    this.#roleOf = roleOf;
    this.#win = win;
    this.#hash = win.location.hash;
  }

  /** Follows the address bar (Back, Forward, a typed or tapped `#/…`); returns the stop function. */
  listen(): () => void {
    const onChange = () => {
      this.#hash = this.#win.location.hash;
      if (!this.recordId) this.#pushedEditor = false;
    };
    this.#win.addEventListener('hashchange', onChange);
    return () => this.#win.removeEventListener('hashchange', onChange);
  }

  get role(): Role | null {
    return this.#roleOf();
  }

  /** The place shown: the address's, or the role's home when it names none this role may open. */
  get place(): Place {
    const role = this.role;
    if (!role) return 'capture';
    const parsed = parseHash(this.#hash);
    return parsed && allowed(role, parsed.place) ? parsed.place : homeOf(role);
  }

  /** The record open in the editor (its id in the address), if any. */
  get recordId(): string | null {
    const parsed = parseHash(this.#hash);
    const role = this.role;
    if (!parsed?.recordId || !role || !allowed(role, parsed.place)) return null;
    return parsed.place === 'records' || parsed.place === 'team' ? parsed.recordId : null;
  }

  /** Rewrites an address naming a place this role may not open to the role's home, in place. */
  settle(): void {
    const role = this.role;
    const parsed = parseHash(this.#hash);
    if (!role || !parsed || (allowed(role, parsed.place) && this.recordId === parsed.recordId)) return;
    this.#replace(`#/${this.place}`);
  }

  /** Back to the list when the editor's record is not in memory (a reload on `#/records/<id>`). */
  dropRecord(): void {
    if (this.recordId) this.#replace(`#/${this.place}`);
  }

  /** Opens a place (a new history entry). */
  go(place: Place): void {
    this.#set(`#/${place}`);
  }

  /** Opens a record in the editor, over the list it came from. */
  openRecord(id: string, from: 'records' | 'team' = this.place === 'team' ? 'team' : 'records'): void {
    this.#set(`#/${from}/${encodeURIComponent(id)}`);
    this.#pushedEditor = true;
  }

  /** Closes the editor: Back when this tab opened it, else the list's own address. */
  closeRecord(): void {
    if (!this.recordId) return;
    if (this.#pushedEditor) {
      this.#pushedEditor = false;
      this.#win.history.back();
    } else this.#replace(`#/${this.place}`);
  }

  #set(hash: string): void {
    if (this.#win.location.hash === hash) return;
    this.#win.location.hash = hash;
    this.#hash = hash;
  }

  #replace(hash: string): void {
    this.#win.location.replace(hash);
    this.#hash = hash;
  }
}

export const routerSlot = contextSlot<Router>('router');
