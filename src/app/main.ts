// Entry point: open the device database, read the session (no network needed), replace the static
// shell with the app, start syncing, and register the service worker with an update prompt. At
// /setup: only the server's first-run set-up page (its own chunk; no database, no service worker).
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './App.svelte';
import { scheduleCountersCheck } from './db/counters-check.ts';
import { setVersionHandlers } from './db/database.ts';
import { scheduleContactSweep } from './privacy/contact-retention.ts';
import { createServices, loadServices, type AppServices } from './services.ts';
import { enrolFromLink } from './state/enrol-link.ts';
import { catchInstallPrompt } from './state/install-prompt.ts';
import { afterPaint, whenIdle } from './ui/after-paint.ts';
import { takeStaticLogin } from './ui/static-login.ts';

async function start(target: HTMLElement): Promise<AppServices> {
  const services = createServices();
  // Another tab upgraded the database: ours closed and reopens by itself on the next read; that
  // tab runs a newer app, so look for it (the prompt waits until no form is dirty).
  // An older tab holding the database open delays our upgrade: say which step unblocks it.
  setVersionHandlers({
    changed: () => services.pwa.checkForUpdate(),
    blocked: () => services.pwa.setBlocked(true),
    opened: () => services.pwa.setBlocked(false),
  });
  await loadServices(services);
  // Read last, just before the static login form goes: a login it sent is answered in the app.
  const typed = takeStaticLogin(target);
  const at = typed?.focus ? document.getElementById(typed.focus) : null;
  const caret = at instanceof HTMLInputElement ? at.selectionStart : null;
  target.replaceChildren();
  target.removeAttribute('aria-busy');
  mount(App, { target, props: { services, onReady: () => ready(services) } });
  // The sweep of sent contacts reads every record: once the first frame is painted and the phone is
  // idle, not between the form's first frame and the answer to its first tap. Never on a wiped
  // device (its database must not be reopened).
  afterPaint(() =>
    whenIdle(() => {
      if (!services.session.revoked) scheduleContactSweep(services.db);
    }, 10_000),
  );
  // Typing goes on in the same field of the app's login screen.
  if (typed?.focus) {
    const field = document.getElementById(typed.focus);
    if (field instanceof HTMLInputElement) {
      field.focus();
      if (caret !== null) field.setSelectionRange(caret, caret);
    }
  }
  // Nobody signed in yet: the service worker still installs if no login comes (ready() otherwise).
  setTimeout(() => registerWorker(services), WORKER_FALLBACK_MS);
  // Opened from the admin's enrolment QR code: sign this phone in without a password.
  void enrolFromLink((token) => services.session.enrol(token)).then((result) => {
    if (result?.ok) void services.scheduler.request();
  });
  return services;
}

/** How long a login page waits for a login before it installs the service worker anyway. */
const WORKER_FALLBACK_MS = 15_000;

/**
 * The capture form (or the role's home) has painted, signed in. Syncing (the engine's code and the
 * first run) starts now, and the service worker's install (the whole precache, a few hundred KB)
 * when the phone is idle after it: before, both competed with the login and the form for a slow
 * network and CPU. A wiped device syncs nothing until the explanation is acknowledged (App starts
 * it then; App calls this only signed in).
 */
function ready(services: AppServices): void {
  services.scheduler.start();
  whenIdle(() => registerWorker(services), 3000);
}

let registered = false;
function registerWorker(services: AppServices): void {
  if (registered) return;
  registered = true;
  if (import.meta.env.DEV || import.meta.env.MODE === 'test' || !('serviceWorker' in navigator)) return;
  // A version found by a later check counts as "external" to workbox-window, which then does not
  // reload by itself when it takes over: reload once on the controller change ourselves.
  let reloading = false;
  const activate = async () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (reloading) return;
      reloading = true;
      location.reload();
    });
    await updateSW(true);
  };
  const updateSW = registerSW({
    onNeedRefresh: () => services.pwa.newVersion(() => activate()),
    onOfflineReady: () => services.pwa.ready(),
    onRegisteredSW: (_url, registration) => {
      if (registration) services.pwa.setChecker(() => registration.update().then(() => undefined));
    },
  });
}

// No top-level await: with one, the bundler splits the entry in two (the lazy conflicts screen
// imports from it), which puts a second file on the critical path.
/** The set-up link's token (`/setup#<token>` or `/setup?token=…`), then out of the address bar and history. */
async function showSetup(target: HTMLElement): Promise<void> {
  const token = location.hash.slice(1) || new URLSearchParams(location.search).get('token') || '';
  history.replaceState(null, '', '/setup');
  const { default: SetupScreen } = await import('./ui/setup/SetupScreen.svelte');
  // The static header stays; the set-up screen brings its own <main>.
  const header = target.querySelector('header');
  target.replaceChildren(...(header ? [header] : []));
  target.removeAttribute('aria-busy');
  mount(SetupScreen, { target, props: { token } });
}

// Chrome offers its install prompt once, early: keep it for the install step (lazy screens).
catchInstallPrompt();

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

if (location.pathname === '/setup') void showSetup(target);
else
  void start(target).then((services) => {
    // Once the app is idle: the tally counters' cheap self-check (rebuilt if they ever drifted).
    scheduleCountersCheck(services.db);
  });
