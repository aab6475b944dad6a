// The PIN vault of this phone as the PIN screens see it (docs/privacy.md, "PIN-encrypted copy"),
// provided by the shell through `vaultSlot`: the screens never hold the database. The vault's code
// (crypto, timers) is a lazy chunk, loaded on the first `open()`.
import type { SotayDB } from '../db/database.ts';
import type { Vault } from '../privacy/vault.svelte.ts';
import { hasLocalContact } from '../privacy/vault-tables.ts';
import { contextSlot } from './context.ts';

export class VaultAccess {
  readonly #db: () => SotayDB;

  /** `db` is read on each call, so the shell can hand in a getter over its services. */
  constructor(db: () => SotayDB) {
    this.#db = db;
  }

  /**
   * The one vault of this phone, its inactivity lock and retention sweep started (once per page):
   * the PIN prompt and the contact view read and unlock it.
   */
  async open(): Promise<Vault> {
    const { startVault, vaultFor } = await import('../privacy/vault.svelte.ts');
    const db = this.#db();
    startVault(db);
    return vaultFor(db);
  }

  /** This record has the volunteer's own encrypted contact copy on this phone. */
  hasLocalContact(recordId: string): Promise<boolean> {
    return hasLocalContact(this.#db(), recordId);
  }
}

export const vaultSlot = contextSlot<VaultAccess>('vault');
