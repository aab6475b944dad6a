// The first-run onboarding (install, PIN, how sync works): shown once per phone to the first
// volunteer or lead who logs in, skippable, and opened again on request. Remembered in
// localStorage, not Dexie, so a wipe at log-out or on another user does not show it again.
import { contextSlot } from './context.ts';

export const ONBOARDED_KEY = 'sotay.onboarded';

type KeyStore = Pick<Storage, 'getItem' | 'setItem'>;

export class OnboardingState {
  /** 0: not done on this phone, 1: done, 2: opened again on request. */
  #shown = $state(0);
  readonly #store: KeyStore | null;

  constructor(store: KeyStore | null = globalThis.localStorage) {
    this.#store = store;
    // Storage refused (private mode) throws: then it shows once per page.
    try {
      if (store?.getItem(ONBOARDED_KEY) === '1') this.#shown = 1;
    } catch {
      /* see above */
    }
  }

  /** Whether the onboarding shows now for a user of this role (field roles only). */
  showsFor(role: string): boolean {
    return (role === 'volunteer' || role === 'lead') && this.#shown !== 1;
  }

  /** Finished or skipped: not shown again on this phone. */
  finish(): void {
    this.#shown = 1;
    try {
      this.#store?.setItem(ONBOARDED_KEY, '1');
    } catch {
      /* as above */
    }
  }

  /** "Xem lại hướng dẫn": show it once more. */
  reopen(): void {
    this.#shown = 2;
  }
}

export const onboardingSlot = contextSlot<OnboardingState>('onboarding');
