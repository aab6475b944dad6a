// Fakes of the browser parts the install step and storage protection use: a window that fires
// Chrome's `beforeinstallprompt` and answers `display-mode` queries, navigators of given phones,
// and a StorageManager that grants or refuses persistence.
import { vi } from 'vitest';
import type { InstallPromptEvent } from '../../../src/app/state/install-prompt.ts';

export const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36';
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A window whose `(display-mode: standalone)` query answers `standalone`. */
export function fakeWindow(standalone = false): Window {
  const win = new EventTarget() as unknown as Window;
  (win as { matchMedia: unknown }).matchMedia = (q: string) => ({
    matches: standalone && q.includes('standalone'),
  });
  return win;
}

export function fakeNavigator(userAgent: string, over: { standalone?: boolean } = {}): Navigator {
  return { userAgent, maxTouchPoints: 5, ...over } as unknown as Navigator;
}

/** Chrome's install prompt event; `outcome` is what the person answers. */
export function installPromptEvent(outcome: 'accepted' | 'dismissed' = 'accepted') {
  const event = new Event('beforeinstallprompt', { cancelable: true }) as InstallPromptEvent;
  const prompt = vi.fn(() => Promise.resolve());
  Object.assign(event, { prompt, userChoice: Promise.resolve({ outcome }) });
  return { event, prompt };
}

/** navigator.storage: persisted or not, and whether a `persist()` request is granted. */
export function fakeStorage(
  opts: { persisted?: boolean; grants?: boolean; usage?: number; quota?: number } = {},
) {
  let persisted = opts.persisted ?? false;
  const persist = vi.fn(() => {
    if (opts.grants) persisted = true;
    return Promise.resolve(Boolean(opts.grants));
  });
  return {
    persist,
    persisted: () => Promise.resolve(persisted),
    estimate: () =>
      Promise.resolve({ usage: opts.usage ?? 3 * 1024 * 1024, quota: opts.quota ?? 103 * 1024 * 1024 }),
  };
}
