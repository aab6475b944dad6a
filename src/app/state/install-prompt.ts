// Chrome fires `beforeinstallprompt` once, early, before any lazy screen exists: this tiny listener
// (main.ts starts it) keeps the event so the install step (state/install.svelte.ts) can use it later.

/** Chrome's install prompt event (not in TypeScript's DOM types). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let held: InstallPromptEvent | null = null;

/** Keep the install prompt for later instead of Chrome's own mini-infobar. */
export function catchInstallPrompt(win: Window = window): void {
  win.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    held = e as InstallPromptEvent;
  });
  win.addEventListener('appinstalled', () => (held = null));
}

/** The prompt caught so far (null before Chrome offers one, after use, or once installed). */
export function heldInstallPrompt(): InstallPromptEvent | null {
  return held;
}

/** A prompt can be shown only once: forget it after use. */
export function dropInstallPrompt(): void {
  held = null;
}
