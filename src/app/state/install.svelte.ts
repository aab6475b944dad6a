// The "Cài vào màn hình chính" step: which way this phone installs the app, and Chrome's prompt.
// Lazy (only the onboarding and the storage screen load it); the event itself is caught early by
// ./install-prompt.ts. Screens read it through `installSlot`; when no component above provided
// one they share `sharedInstall()`, so the class stays out of the first load.
import { contextSlot } from './context.ts';
import { dropInstallPrompt, heldInstallPrompt, type InstallPromptEvent } from './install-prompt.ts';

/**
 * - `installed`: running from the home screen (nothing to offer);
 * - `prompt`: Chrome offered its install prompt (one button);
 * - `ios`: iPhone/iPad Safari, which has no prompt (illustrated steps);
 * - `manual`: elsewhere (the browser's menu).
 */
export type InstallWay = 'installed' | 'prompt' | 'ios' | 'manual';

export interface InstallEnv {
  win?: Window;
  nav?: Navigator;
  /** The prompt caught before this state existed. */
  held?: InstallPromptEvent | null;
}

/** Running as the installed app (Android's standalone display mode, or iOS's home-screen app). */
export function runsInstalled(win: Window = window, nav: Navigator = navigator): boolean {
  return (
    (nav as Navigator & { standalone?: boolean }).standalone === true ||
    win.matchMedia?.('(display-mode: standalone)').matches === true
  );
}

/** iPhone/iPad (an iPad's Safari says "Macintosh" but has a touch screen). */
export function isIos(nav: Navigator = navigator): boolean {
  const ua = nav.userAgent;
  return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && nav.maxTouchPoints > 1);
}

export class InstallState {
  #event = $state.raw<InstallPromptEvent | null>(null);
  #installed = $state(false);
  #outcome = $state<'accepted' | 'dismissed' | null>(null);
  readonly #ios: boolean;

  constructor({ win = window, nav = navigator, held = heldInstallPrompt() }: InstallEnv = {}) {
    this.#installed = runsInstalled(win, nav);
    this.#ios = isIos(nav);
    this.#event = held;
    // Chrome may offer the prompt only after the first visit's engagement: listen from now on too.
    win.addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault();
      this.#event = e as InstallPromptEvent;
    });
    win.addEventListener('appinstalled', () => {
      this.#installed = true;
      this.#event = null;
    });
  }

  get way(): InstallWay {
    if (this.#installed) return 'installed';
    if (this.#event) return 'prompt';
    return this.#ios ? 'ios' : 'manual';
  }

  /** Safari on iPhone/iPad outside the installed app: it deletes the data after 7 days unused. */
  get iosNotInstalled(): boolean {
    return this.#ios && !this.#installed;
  }

  /** What the person answered to the last prompt of this page. */
  get outcome(): 'accepted' | 'dismissed' | null {
    return this.#outcome;
  }

  /** Shows Chrome's install prompt (once per event: Chrome refuses a second `prompt()`). */
  async prompt(): Promise<'accepted' | 'dismissed' | null> {
    const event = this.#event;
    if (!event) return null;
    this.#event = null;
    dropInstallPrompt();
    try {
      await event.prompt();
      const { outcome } = await event.userChoice;
      this.#outcome = outcome;
      if (outcome === 'accepted') this.#installed = true;
      return outcome;
    } catch {
      return null;
    }
  }
}

export const installSlot = contextSlot<InstallState>('install');

let shared: InstallState | null = null;

/** The page's one install state, made on first use. */
export function sharedInstall(): InstallState {
  return (shared ??= new InstallState());
}

/** The install state provided above, else the page's shared one. */
export function useInstall(): InstallState {
  return installSlot.has() ? installSlot.get() : sharedInstall();
}
