// The lead's hand-off inbox (docs/handoff.md): the team's keys fetched while online, volunteers'
// bundles taken offline (file or QR codes), sent to the server, each receipt kept for its
// volunteer. The screen (ui/handoff/LeadInbox.svelte) shows this state and calls its actions; the
// hand-off screen provides it, inside its own lazy chunk, so its code never reaches the first load.
import { liveQuery, type Observable } from 'dexie';
import type { SotayDB, StoredSession } from '../db/database.ts';
import {
  importBundle,
  inboxRows,
  leadReadiness,
  prepareLead,
  uploadQueued,
  type LeadReadiness,
} from '../handoff/lead.ts';
import { handoffErrorMessage } from '../handoff/messages.ts';
import type { InboxRow } from '../db/handoff-tables.ts';
import { tHandoff } from '../i18n/handoff.ts';
import type { ApiClient } from '../sync/api.ts';
import { contextSlot } from './context.ts';

export type { InboxRow } from '../db/handoff-tables.ts';

export interface LeadInboxDeps {
  db: SotayDB;
  api: ApiClient;
  session: StoredSession;
}

export class LeadInboxState {
  #ready = $state<LeadReadiness | null>(null);
  #busy = $state<'' | 'prepare' | 'upload'>('');
  #message = $state('');
  #error = $state('');
  readonly #deps: () => LeadInboxDeps;
  /** The inbox, live: an upload after a sync (services.ts) changes the rows while the screen is open. */
  readonly rows: Observable<InboxRow[]>;

  /** `deps` is a getter so the screen's current session is the one used. */
  constructor(deps: () => LeadInboxDeps) {
    this.#deps = deps;
    this.rows = liveQuery(() => inboxRows(this.#deps().db));
  }

  /** Whether the commune key and how many team keys are on this phone (null until read). */
  get ready(): LeadReadiness | null {
    return this.#ready;
  }
  /** The action running: fetching keys or uploading bundles. */
  get busy(): '' | 'prepare' | 'upload' {
    return this.#busy;
  }
  /** The last success to announce ("Đã nhận 2 thay đổi của …"). */
  get message(): string {
    return this.#message;
  }
  /** The last failure, in Vietnamese. */
  get error(): string {
    return this.#error;
  }

  async refresh(): Promise<void> {
    this.#ready = await leadReadiness(this.#deps().db);
  }

  /** The screen opened: read what is ready; online without the commune key, fetch the keys. */
  async open(online: boolean): Promise<void> {
    await this.refresh();
    if (online && this.#ready && !this.#ready.communeKey) await this.prepare();
  }

  /** Fetch the commune key and the team's device keys (needs the network). */
  async prepare(): Promise<void> {
    const { db, api, session } = this.#deps();
    this.#busy = 'prepare';
    this.#error = '';
    try {
      if (await prepareLead(db, api, session)) this.#error = tHandoff.prepareFailed;
    } catch {
      this.#error = tHandoff.prepareFailed;
    } finally {
      this.#busy = '';
      await this.refresh();
    }
  }

  /** Check and store one bundle; answers whether it was taken (else `error` says why). */
  async take(bytes: Uint8Array): Promise<boolean> {
    const { db, session } = this.#deps();
    this.#message = '';
    this.#error = '';
    try {
      const row = await importBundle(db, session, bytes);
      const name = row.header.volunteer.displayName || row.header.volunteer.username;
      this.#message = tHandoff.imported(name, row.header.count);
      await this.refresh();
      return true;
    } catch (e) {
      this.#error = handoffErrorMessage(e);
      return false;
    }
  }

  /** Send every queued bundle to the server; answers how many it took. */
  async upload(): Promise<number> {
    const { db, api, session } = this.#deps();
    this.#busy = 'upload';
    this.#error = '';
    try {
      const out = await uploadQueued(db, api, session);
      if (out.failure)
        this.#error = out.failure.kind === 'network' ? tHandoff.uploadOffline : tHandoff.uploadFailed;
      return out.sent;
    } catch {
      this.#error = tHandoff.uploadFailed;
      return 0;
    } finally {
      this.#busy = '';
      await this.refresh();
    }
  }
}

export const leadInboxSlot = contextSlot<LeadInboxState>('leadInbox');
