// Service-worker lifecycle as the UI sees it: a new version waiting, or the app ready offline.
export class PwaState {
  #needRefresh = $state(false);
  #offlineReady = $state(false);
  #update: (() => Promise<void>) | null = null;

  get needRefresh(): boolean {
    return this.#needRefresh;
  }
  get offlineReady(): boolean {
    return this.#offlineReady;
  }

  /** Called by the registration when a new service worker waits; `update` activates it and reloads. */
  newVersion(update: () => Promise<void>): void {
    this.#update = update;
    this.#needRefresh = true;
  }

  /** The app is cached for offline use; the notice goes away by itself after a few seconds. */
  ready(autoHideMs = 8000): void {
    this.#offlineReady = true;
    setTimeout(() => this.dismiss(), autoHideMs);
  }

  dismiss(): void {
    this.#offlineReady = false;
  }

  async applyUpdate(): Promise<void> {
    await this.#update?.();
  }
}
