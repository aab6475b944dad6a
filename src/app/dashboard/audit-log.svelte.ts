// State of the admin's audit-log panel: filters, the pages loaded so far, and the load status.
// Changing a filter starts again from the newest entry; "more" appends the next older page.
import type { AuditItem } from '../../shared/index.ts';
import { failureMessage } from './api.ts';
import { fetchAuditPage, filtersProblem, type AuditFilters } from './audit.ts';

export type AuditStatus = { kind: 'idle' | 'loading' } | { kind: 'error'; message: string };

export class AuditLog {
  #filters = $state<AuditFilters>({ action: '', userId: '', from: '', to: '', hideSync: true });
  #entries = $state<AuditItem[]>([]);
  #next = $state<string | null>(null);
  #status = $state<AuditStatus>({ kind: 'idle' });
  /** The username shown for the user filter. */
  #userLabel = $state('');
  readonly #token: () => string;
  readonly #fetch: () => typeof fetch | undefined;
  #generation = 0;

  constructor(opts: { token: () => string; fetch?: () => typeof fetch | undefined }) {
    this.#token = opts.token;
    this.#fetch = opts.fetch ?? (() => undefined);
  }

  get filters(): AuditFilters {
    return this.#filters;
  }
  get entries(): AuditItem[] {
    return this.#entries;
  }
  get hasMore(): boolean {
    return this.#next !== null;
  }
  get status(): AuditStatus {
    return this.#status;
  }
  get userLabel(): string {
    return this.#userLabel;
  }
  get problem(): { field: 'to'; message: string } | null {
    return filtersProblem(this.#filters);
  }

  setFilter(field: 'action' | 'from' | 'to', value: string): void {
    this.#filters = { ...this.#filters, [field]: value };
  }

  /** Show or hide routine sync pulls; applies at once. */
  setHideSync(hide: boolean): Promise<void> {
    this.#filters = { ...this.#filters, hideSync: hide };
    return this.reload();
  }

  /** Only this user's entries (or everyone's again with null). */
  filterUser(user: { id: string; name: string } | null): Promise<void> {
    this.#filters = { ...this.#filters, userId: user?.id ?? '' };
    this.#userLabel = user?.name ?? '';
    return this.reload();
  }

  /** The newest page for the current filters; nothing is sent while the filters are invalid. */
  async reload(): Promise<void> {
    if (this.problem) return;
    this.#entries = [];
    this.#next = null;
    await this.#load(null);
  }

  async more(): Promise<void> {
    if (this.#next === null || this.#status.kind === 'loading') return;
    await this.#load(this.#next);
  }

  async #load(before: string | null): Promise<void> {
    const generation = ++this.#generation;
    this.#status = { kind: 'loading' };
    const res = await fetchAuditPage(this.#token(), this.#filters, before, this.#fetch());
    // A newer request (another filter) answers for the screen; this one is dropped.
    if (generation !== this.#generation) return;
    if (!res.ok) {
      this.#status = { kind: 'error', message: failureMessage(res.failure) };
      return;
    }
    this.#entries = [...this.#entries, ...res.value.entries];
    this.#next = res.value.next;
    this.#status = { kind: 'idle' };
  }
}
