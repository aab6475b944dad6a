// A simulated phone: its own Dexie database, the real SyncEngine, and edits written through the
// app's own repository (record + outbox row in one transaction), all over an injected fetch.
import { v7 } from 'uuid';
import { SotayDB, type LocalRecord, type OutboxRow } from '../../../src/app/db/database.ts';
import { getSyncMeta, storeLogin } from '../../../src/app/db/meta-repo.ts';
import { deleteRecord, saveNewRecord, saveRecordEdit } from '../../../src/app/db/records-repo.ts';
import { SyncEngine, type SyncOutcome } from '../../../src/app/sync/engine.ts';
import {
  RECORD_FIELDS,
  newId,
  type LogPatch,
  type LogRecord,
  type LoginResponse,
} from '../../../src/shared/index.ts';

/**
 * The fields a device's record shares with the server's copy: the wire record and the
 * server-derived owner fields. Anything else (serverVersion, syncState, pullMark, index flags…)
 * is the device's own bookkeeping.
 */
export const SHARED_FIELDS: readonly string[] = [...RECORD_FIELDS, 'teamId', 'communeCode'];

let dbCounter = 0;

export interface DeviceOptions {
  name: string;
  login: LoginResponse;
  fetch: typeof fetch;
  now?: () => Date;
  pullLimit?: number;
  /** Reuse an existing device database (a reopened app); otherwise a fresh one. */
  dbName?: string;
}

export class Device {
  readonly name: string;
  readonly dbName: string;
  readonly login: LoginResponse;
  readonly now: () => Date;
  db: SotayDB;
  engine: SyncEngine;
  readonly #fetch: typeof fetch;
  readonly #pullLimit: number | undefined;

  private constructor(opts: DeviceOptions, dbName: string) {
    this.name = opts.name;
    this.dbName = dbName;
    this.login = opts.login;
    this.now = opts.now ?? (() => new Date());
    this.#fetch = opts.fetch;
    this.#pullLimit = opts.pullLimit;
    this.db = new SotayDB(dbName);
    this.engine = this.#engine();
  }

  #engine(): SyncEngine {
    return new SyncEngine({
      db: this.db,
      fetch: this.#fetch,
      now: this.now,
      runLocked: null,
      ...(this.#pullLimit ? { pullLimit: this.#pullLimit } : {}),
    });
  }

  /** A logged-in device with a new clientId (as after the login screen). */
  static async open(opts: DeviceOptions): Promise<Device> {
    const fresh = opts.dbName === undefined;
    const device = new Device(opts, opts.dbName ?? `sync-proof-${process.pid}-${++dbCounter}-${opts.name}`);
    if (fresh) await storeLogin(device.db, opts.login, `dev-${newId()}`);
    return device;
  }

  /** Close the app and open it again: a new database connection and a new engine, same data. */
  async reopen(): Promise<void> {
    this.db.close();
    this.db = new SotayDB(this.dbName);
    await this.db.open();
    this.engine = this.#engine();
  }

  get userId(): string {
    return this.login.user.id;
  }

  async clientId(): Promise<string> {
    const meta = await getSyncMeta(this.db);
    if (!meta) throw new Error(`${this.name} is not logged in`);
    return meta.clientId;
  }

  /** A valid record stamped with this device's clock (ids are UUIDv7 from the same clock). */
  stamp(record: LogRecord): LogRecord {
    const at = this.now();
    return {
      ...record,
      id: v7({ msecs: at.getTime() }),
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    };
  }

  create(record: LogRecord): Promise<void> {
    return saveNewRecord(this.db, record, this.now());
  }

  edit(id: string, patch: LogPatch): Promise<LocalRecord> {
    return saveRecordEdit(this.db, id, patch, this.now());
  }

  /** Delete through the outbox: the row stays hidden until the server acknowledges the delete. */
  remove(id: string): Promise<void> {
    return deleteRecord(this.db, id, this.now());
  }

  sync(): Promise<SyncOutcome> {
    return this.engine.syncNow();
  }

  records(): Promise<LocalRecord[]> {
    return this.db.records.toArray();
  }

  outbox(): Promise<OutboxRow[]> {
    return this.db.outbox.orderBy('seq').toArray();
  }

  /** Records this device's user may write (a volunteer their own, a lead the team's). */
  async writable(): Promise<LocalRecord[]> {
    const { user } = this.login;
    const all = await this.db.records.orderBy('id').toArray();
    return all.filter(
      (r) =>
        !isDeletedHere(r) &&
        (user.role === 'lead'
          ? r.teamId === undefined || r.teamId === user.teamId
          : r.volunteerId === undefined || r.volunteerId === user.id),
    );
  }

  async destroy(): Promise<void> {
    this.db.close();
    await new SotayDB(this.dbName).delete();
  }
}

/** A row kept, hidden, until the server acknowledges its delete. */
export function isDeletedHere(r: LocalRecord): boolean {
  return r.deleted === true;
}

/** A local record without the device's bookkeeping, to compare with the server's copy. */
export function sharedFields(r: LocalRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SHARED_FIELDS)
    if ((r as Record<string, unknown>)[k] !== undefined) out[k] = (r as Record<string, unknown>)[k];
  return out;
}
