// Builds the app's long-lived parts once and wires them together (engine events → status and
// session). main.ts uses it; tests build only the parts they need.
import { SotayDB } from './db/database.ts';
import { getSyncMeta } from './db/meta-repo.ts';
import { hasVault } from './db/vault-tables.ts';
import { Health } from './state/health.svelte.ts';
import { registerBackgroundSync } from './sync/background-sync.ts';
import { tables } from './db/handoff-tables.ts';
import { PwaState } from './state/pwa.svelte.ts';
import { SessionState } from './state/session.svelte.ts';
import { SyncStatus } from './state/sync-status.svelte.ts';
import { ApiClient, isRevokedCode } from './sync/api.ts';
import { storedRevocation } from './db/wipe.ts';
import type { SyncEvent } from './sync/engine.ts';
import { LazyEngine, type EngineHandle } from './sync/lazy-engine.ts';
import { SyncScheduler } from './sync/scheduler.ts';

export interface AppServices {
  db: SotayDB;
  api: ApiClient;
  session: SessionState;
  status: SyncStatus;
  engine: EngineHandle;
  scheduler: SyncScheduler;
  pwa: PwaState;
  /** The facts the status line and the home warning show. */
  health: Health;
  /** A record was saved on this phone: sync it (storage protection is StorageState's, in App). */
  afterSave: () => void;
  /** A PIN is set on this phone: start the inactivity lock and the local contact retention. */
  startVault: () => Promise<void>;
}

export function createServices(opts: { db?: SotayDB; fetch?: typeof fetch } = {}): AppServices {
  const db = opts.db ?? new SotayDB();
  const api = new ApiClient(opts.fetch ? { fetch: opts.fetch } : {});
  const status = new SyncStatus({ online: typeof navigator === 'undefined' ? true : navigator.onLine });
  // Set below, once the engine and scheduler exist: a wipe first stops syncing.
  let beforeWipe = (): Promise<void> => Promise.resolve();
  const session = new SessionState({ db, api, beforeWipe: () => beforeWipe() });
  api.setOnRevoked((code) => void session.wipe(code));
  // Every answer of the server (each sync's included) tells its time: the status bar warns of a wrong clock.
  api.setOnServerTime((serverMs) => status.setServerTime(serverMs));
  const pwa = new PwaState();
  const onEvent = (event: SyncEvent, remote = false) => {
    status.apply(event, remote);
    if (event.type === 'end' && event.outcome === 'unauthorized') session.markExpired();
    if (event.type === 'end' && event.outcome === 'outdated') pwa.checkForUpdate();
    if (event.type === 'end' && event.outcome === 'ok' && !remote) void uploadHandoffs();
  };
  // A lead's sync also sends the volunteers' bundles imported offline (docs/handoff.md), then syncs
  // again to pull the records the server just took.
  const uploadHandoffs = async () => {
    const current = session.current;
    if (!current || (current.user.role !== 'lead' && current.user.role !== 'volunteer')) return;
    // A device key not yet registered (login answered, registration lost) is retried while online.
    const device = await tables(db)
      .handoffDevice.get('device')
      .catch(() => undefined);
    if (!device?.registered)
      await import('./handoff/volunteer.ts')
        .then((m) => m.ensureDeviceKey(db, api, current, true))
        .catch(() => null);
    if (current.user.role !== 'lead') return;
    const { uploadQueued } = await import('./handoff/lead.ts');
    const out = await uploadQueued(db, api, current).catch(() => null);
    if (out && out.sent > 0) void scheduler.request();
  };
  const engine = new LazyEngine({ db, api, onEvent: (event) => onEvent(event) });
  const scheduler = new SyncScheduler({
    engine,
    onRemoteEvent: (event) => onEvent(event, true),
    onRemoteQuiet: () => status.clearRemote(),
    onOnlineChange: (online) => status.setOnline(online),
  });
  beforeWipe = () => {
    scheduler.stop();
    return engineIdle(engine);
  };
  const health = new Health({ db, status, session });
  const afterSave = () => {
    // With no network at all, a run would only mark the waiting records uploading and back: the
    // 'online' event (scheduler) and Background Sync start it when the network returns.
    if (typeof navigator !== 'undefined' && navigator.onLine === false) void registerBackgroundSync();
    else void scheduler.afterSave();
  };
  const startVault = async () => {
    if (!(await hasVault(db).catch(() => false))) return;
    const m = await import('./privacy/vault.svelte.ts');
    await m.startVault(db);
  };
  return { db, api, session, status, engine, scheduler, pwa, health, afterSave, startVault };
}

/** Read what the app needs before its first paint: the session and whether it ever synced. */
export async function loadServices(s: AppServices): Promise<void> {
  // Both reads at once, so the first mount waits for one round trip to IndexedDB, not two in a row;
  // a wiped device opens nothing (it would only recreate its database empty). A failed read was
  // reported by session.load.
  const meta = isRevokedCode(storedRevocation()) ? null : getSyncMeta(s.db).catch(() => null);
  await s.session.load();
  if (meta && !s.session.revoked) s.status.setLastOk(Boolean((await meta)?.lastSyncedAt));
}

/** Resolves when the engine's run in progress (if any) has ended; gives up after 10 s. */
function engineIdle(engine: EngineHandle): Promise<void> {
  if (!engine.running) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      off();
      clearTimeout(timer);
      resolve();
    };
    const off = engine.subscribe((event) => {
      if (event.type === 'end') done();
    });
    const timer = setTimeout(done, 10_000);
  });
}
