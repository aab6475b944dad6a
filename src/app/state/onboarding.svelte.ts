// The first-run onboarding (install, PIN, how sync works): shown once per phone to the first
// volunteer or lead who logs in, skippable, and opened again on request. Remembered in
// localStorage, not Dexie, so a wipe at log-out or on another user does not show it again.
import { contextSlot } from './context.ts';

export const ONBOARDED_KEY = 'sotay.onboarded';

type KeyStore = Pick<Storage, 'getItem' | 'setItem'>;

export class OnboardingState {
  #done = $state(false);
  #again = $state(false);
  readonly #store: KeyStore | null;

  constructor(store: KeyStore | null = safeLocalStorage()) {
    this.#store = store;
    try {
      this.#done = store?.getItem(ONBOARDED_KEY) === '1';
    } catch {
      // Storage refused (private mode): shown once per page instead.
    }
  }

  /** Whether the onboarding shows now for a user of this role (field roles only). */
  showsFor(role: string): boolean {
    return (role === 'volunteer' || role === 'lead') && (!this.#done || this.#again);
  }

  /** Finished or skipped: not shown again on this phone. */
  finish(): void {
    this.#done = true;
    this.#again = false;
    try {
      this.#store?.setItem(ONBOARDED_KEY, '1');
    } catch {
      // As above: this page only.
    }
  }

  /** "Xem lại hướng dẫn": show it once more. */
  reopen(): void {
    this.#again = true;
  }
}

function safeLocalStorage(): KeyStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export const onboardingSlot = contextSlot<OnboardingState>('onboarding');
