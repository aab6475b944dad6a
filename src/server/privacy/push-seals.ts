// A push's sealed values, opened before its store transaction begins (push.ts): each ECDH + AES-GCM
// opening (synchronous node:crypto, contact-vault.ts) would otherwise run while the transaction holds
// the write lock (SQLite) or row locks (PostgreSQL). Only results are kept — the citizenKey or the field
// issue of a citizenSeal, the checked contact of a contact seal — never the clear ID number.
import type { FieldIssue, Mutation } from '../../shared/index.ts';
import { citizenKeyFromSeal } from './citizen-write.ts';
import { readContact, type ContactChange } from './contact-write.ts';
import type { ServerKeys } from './keys.ts';

/** How many seals are opened at once; an opening is synchronous now, so this only bounds the jobs in flight. */
export const SEAL_OPEN_CONCURRENCY = 8;

type CitizenResult = string | undefined | FieldIssue[];
type ContactResult = ContactChange | FieldIssue[];

// The seal itself is part of the key: a result is only ever used for the very value it came from,
// bound (AAD) to the same record id, so using it gives what opening there and then would.
const citizenSlot = (communeCode: string, recordId: string, sealed: string): string =>
  JSON.stringify([communeCode, recordId, sealed]);
const contactSlot = (recordId: string, sealed: string): string => JSON.stringify([recordId, sealed]);

export class PushSeals {
  readonly #citizen = new Map<string, CitizenResult>();
  readonly #contact = new Map<string, ContactResult>();

  /**
   * Open the seals of `mutations` (those the push may apply: at most one push's worth) for records
   * of `communeCode`, `concurrency` at a time. A seal that does not open is kept as its field issue,
   * so it still rejects only its own mutation. Never throws.
   */
  static async open(
    keys: ServerKeys | undefined,
    communeCode: string,
    mutations: readonly Mutation[],
    concurrency = SEAL_OPEN_CONCURRENCY,
  ): Promise<PushSeals> {
    const seals = new PushSeals();
    const jobs: (() => Promise<unknown>)[] = [];
    for (const m of mutations) {
      const patch: unknown = m.patch;
      if (m.op === 'delete' || typeof patch !== 'object' || patch === null) continue;
      const { citizenSeal, contact } = patch as { citizenSeal?: unknown; contact?: unknown };
      const recordId = m.recordId;
      if (typeof citizenSeal === 'string') {
        const slot = citizenSlot(communeCode, recordId, citizenSeal);
        jobs.push(async () =>
          seals.#citizen.set(slot, await citizenKeyFromSeal(keys, communeCode, recordId, citizenSeal)),
        );
      }
      if (typeof contact === 'string') {
        const slot = contactSlot(recordId, contact);
        jobs.push(async () => seals.#contact.set(slot, await readContact(keys, recordId, contact)));
      }
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next];
        next += 1;
        // A throw is not a field issue: the slot stays empty, the seal is opened again inside the
        // transaction and the same throw rejects its mutation alone there (batch.ts, isolate).
        if (job) await job().catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
    return seals;
  }

  /** What citizenKeyFromSeal gives for this seal: opened beforehand, or opened now if it was not. */
  citizenKey(
    keys: ServerKeys | undefined,
    communeCode: string,
    recordId: string,
    sealed: unknown,
  ): Promise<CitizenResult> {
    const known =
      typeof sealed === 'string' ? this.#citizen.get(citizenSlot(communeCode, recordId, sealed)) : undefined;
    return known !== undefined
      ? Promise.resolve(known)
      : citizenKeyFromSeal(keys, communeCode, recordId, sealed);
  }

  /** What readContact gives for this seal: opened beforehand, or opened now if it was not. */
  contact(keys: ServerKeys | undefined, recordId: string, sealed: unknown): Promise<ContactResult> {
    const known = typeof sealed === 'string' ? this.#contact.get(contactSlot(recordId, sealed)) : undefined;
    return known !== undefined ? Promise.resolve(known) : readContact(keys, recordId, sealed);
  }
}
