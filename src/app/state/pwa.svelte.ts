// Service-worker lifecycle as the UI sees it: a new version waiting, or the app ready offline; and
// how to get a newer version when the server says this one is too old (426).
export class PwaState {
  #needRefresh = $state(false);
  #offlineReady = $state(false);
  #update: (() => Promise<void>) | null = null;
  #check: (() => Promise<void>) | null = null;
  /** Forms holding unsaved input, by name: the update prompt waits until none is left. */
  #dirty = $state<Record<string, boolean>>({});

  get needRefresh(): boolean {
    return this.#needRefresh;
  }
  #blocked = $state(false);
  /** This tab's database upgrade waits for another (older) tab to close. */
  get blocked(): boolean {
    return this.#blocked;
  }
  setBlocked(blocked: boolean): void {
    this.#blocked = blocked;
  }

  /** A capture or edit form holds input not yet saved. */
  get formsDirty(): boolean {
    return Object.values(this.#dirty).some(Boolean);
  }
  /** Offer the new version only when reloading cannot lose what someone is typing. */
  get showUpdatePrompt(): boolean {
    return this.#needRefresh && !this.formsDirty;
  }
  setDirty(form: string, dirty: boolean): void {
    if (Boolean(this.#dirty[form]) !== dirty) this.#dirty[form] = dirty;
  }
  get offlineReady(): boolean {
    return this.#offlineReady;
  }

  /** Called by the registration when a new service worker waits; `update` activates it and reloads. */
  newVersion(update: () => Promise<void>): void {
    this.#update = update;
    this.#needRefresh = true;
  }

  /** Called once the service worker is registered: how to ask the server for a newer version. */
  setChecker(check: () => Promise<void>): void {
    this.#check = check;
  }

  /** The app is cached for offline use; the notice goes away by itself after a few seconds. */
  ready(autoHideMs = 8000): void {
    this.#offlineReady = true;
    setTimeout(() => this.dismiss(), autoHideMs);
  }

  dismiss(): void {
    this.#offlineReady = false;
  }

  /** Look for a newer service worker now (a found one shows the "Có phiên bản mới" banner). */
  checkForUpdate(): void {
    void this.#check?.().catch(() => undefined);
  }

  async applyUpdate(): Promise<void> {
    await this.#update?.();
  }

  /** The "Cập nhật" button of the 426 notice: activate a waiting version, else fetch and reload. */
  async updateNow(reload: () => void = () => location.reload()): Promise<void> {
    if (this.#update) return this.applyUpdate();
    await this.#check?.().catch(() => undefined);
    if (this.#update) return this.applyUpdate();
    reload();
  }
}
