// The dashboard's state: the chosen period and view, the reporting answers for that period (each
// section loads on its own and fails with a Vietnamese reason), the review-state filter, the
// drill-downs (counts by volunteer, and the records behind a table cell) and the exports.
import {
  localDay,
  type DrillRecord,
  type ReconciliationResponse,
  type TallyResponse,
  type TargetInput,
  type TargetsResponse,
} from '../../shared/index.ts';
import { DashboardApi, failureMessage, type DrillFilter, type ExportFormat } from './api.ts';
import { dt } from './i18n.ts';
import {
  isValidPeriod,
  periodOf,
  shiftAnchor,
  trendUnit,
  trendUnitsFor,
  type Period,
  type PeriodKind,
  type TrendUnit,
} from './periods.ts';
import {
  byVolunteer,
  hamletLabel,
  summarise,
  trendBars,
  type Bar,
  type Named,
  type ReportView,
  type Summary,
  type VolunteerCount,
} from './report.ts';

export type Load<T> = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; value: T };

export interface Figures {
  summary: Summary;
  trend: Bar[];
  unit: TrendUnit;
}

export interface Drill {
  title: string;
  load: Load<VolunteerCount[]>;
}

/** The records behind one table cell, a page at a time ("Xem thêm" loads the next). */
export interface RecordsDrill {
  title: string;
  filter: DrillFilter;
  records: DrillRecord[];
  next: string | null;
  /** The cursor of the page being (or last) loaded: a retry asks for it again. */
  after: string | null;
  load: { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };
}

/** '' : every record; 'none': not reviewed yet; else one review state. */
export type ReviewFilter = '' | 'none' | 'received' | 'has_issues' | 'approved' | 'rejected';

export type ExportState =
  | { kind: 'idle' }
  | { kind: 'busy'; format: ExportFormat }
  | { kind: 'done'; url: string; filename: string }
  | { kind: 'error'; message: string };

export interface DashboardDeps {
  token: () => string;
  hamlets: () => readonly Named[];
  fetch?: typeof fetch;
  today?: string;
}

export class Dashboard {
  readonly #deps: DashboardDeps;
  #kind = $state<PeriodKind>('month');
  #anchor = $state('');
  #custom = $state<Period>({ from: '', to: '' });
  #view = $state<ReportView>('all');
  #tallies = $state.raw<
    Load<{
      main: TallyResponse;
      trend: TallyResponse;
      unit: TrendUnit;
    }>
  >({ kind: 'loading' });
  #targets = $state.raw<Load<TargetsResponse['targets']>>({ kind: 'loading' });
  #recon = $state.raw<Load<ReconciliationResponse['rows']>>({ kind: 'loading' });
  #drill = $state.raw<Drill | null>(null);
  #records = $state.raw<RecordsDrill | null>(null);
  #reviewState = $state<ReviewFilter>('');
  #unitChoice = $state<TrendUnit | null>(null);
  #export = $state.raw<ExportState>({ kind: 'idle' });
  #seq = 0;

  constructor(deps: DashboardDeps) {
    this.#deps = deps;
    this.#anchor = deps.today ?? localDay();
    this.#custom = periodOf('month', this.#anchor);
  }

  get kind(): PeriodKind {
    return this.#kind;
  }
  get view(): ReportView {
    return this.#view;
  }
  get custom(): Period {
    return this.#custom;
  }
  get period(): Period {
    return this.#kind === 'custom' ? this.#custom : periodOf(this.#kind, this.#anchor);
  }
  get periodValid(): boolean {
    return isValidPeriod(this.period);
  }
  get figures(): Load<Figures> {
    const t = this.#tallies;
    if (t.kind !== 'ready') return t;
    const hamlets = this.#deps.hamlets();
    return {
      kind: 'ready',
      value: {
        summary: summarise(t.value.main.rows, t.value.main.total, this.#view, hamlets),
        trend: trendBars(t.value.trend.rows, t.value.unit, this.period, this.#view),
        unit: t.value.unit,
      },
    };
  }
  get targets(): Load<TargetsResponse['targets']> {
    return this.#targets;
  }
  get reconciliation(): Load<ReconciliationResponse['rows']> {
    return this.#recon;
  }
  get drill(): Drill | null {
    return this.#drill;
  }
  get exporting(): ExportState {
    return this.#export;
  }
  get records(): RecordsDrill | null {
    return this.#records;
  }
  get reviewState(): ReviewFilter {
    return this.#reviewState;
  }
  /** The trend units the current period allows, and the one in use (the reader's, else automatic). */
  get trendUnits(): TrendUnit[] {
    return trendUnitsFor(this.period);
  }
  get trendUnit(): TrendUnit {
    const chosen = this.#unitChoice;
    return chosen && this.trendUnits.includes(chosen) ? chosen : trendUnit(this.period);
  }

  setReviewState(state: ReviewFilter): void {
    this.#reviewState = state;
    void this.load();
  }
  setTrendUnit(unit: TrendUnit): void {
    this.#unitChoice = unit;
    void this.load();
  }
  #filter(): { reviewState?: string } {
    return this.#reviewState ? { reviewState: this.#reviewState } : {};
  }

  setKind(kind: PeriodKind): void {
    if (kind === 'custom' && this.#kind !== 'custom') this.#custom = this.period;
    this.#kind = kind;
    void this.load();
  }
  step(direction: -1 | 1): void {
    if (this.#kind === 'custom') {
      const days = shiftAnchor('custom', this.#custom.from, direction, this.#custom);
      const to = shiftAnchor('custom', this.#custom.to, direction, this.#custom);
      this.#custom = { from: days, to };
    } else this.#anchor = shiftAnchor(this.#kind, this.#anchor, direction);
    void this.load();
  }
  setCustom(period: Period): void {
    this.#custom = period;
    if (this.#kind === 'custom') void this.load();
  }
  setView(view: ReportView): void {
    this.#view = view;
    this.#drill = null;
    this.#records = null;
  }

  #api(): DashboardApi {
    return new DashboardApi(this.#deps.token(), this.#deps.fetch);
  }

  /** Loads every section for the current period; answers of an older period are dropped. */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.#drill = null;
    this.#records = null;
    this.#export = { kind: 'idle' };
    const period = this.period;
    if (!isValidPeriod(period)) {
      const error = { kind: 'error', message: dt.period.invalid } as const;
      this.#tallies = this.#targets = this.#recon = error;
      return;
    }
    this.#tallies = this.#targets = this.#recon = { kind: 'loading' };
    const api = this.#api();
    const unit = this.trendUnit;
    const filter = this.#filter();
    const tallies = Promise.all([
      api.tallies(period, ['hamlet', 'category', 'service'], filter),
      api.tallies(period, [unit, 'category', 'service'], filter),
    ]).then(([main, trend]) => {
      if (seq !== this.#seq) return;
      if (!main.ok) this.#tallies = { kind: 'error', message: failureMessage(main.failure) };
      else if (!trend.ok) this.#tallies = { kind: 'error', message: failureMessage(trend.failure) };
      else this.#tallies = { kind: 'ready', value: { main: main.value, trend: trend.value, unit } };
    });
    const targets = api.targets(period).then((res) => {
      if (seq !== this.#seq) return;
      this.#targets = res.ok
        ? { kind: 'ready', value: res.value.targets }
        : { kind: 'error', message: failureMessage(res.failure) };
    });
    const recon = api.reconciliation(period).then((res) => {
      if (seq !== this.#seq) return;
      this.#recon = res.ok
        ? { kind: 'ready', value: res.value.rows }
        : { kind: 'error', message: failureMessage(res.failure) };
    });
    await Promise.all([tallies, targets, recon]);
  }

  /**
   * Stores a target (admin) and reloads the period's targets so its progress shows. Answers null
   * on success, else the Vietnamese reason.
   */
  async saveTarget(input: TargetInput): Promise<string | null> {
    const api = this.#api();
    const res = await api.putTarget(input);
    if (!res.ok) return `${dt.targets.form.failed} ${failureMessage(res.failure)}`;
    const seq = this.#seq;
    const period = this.period;
    if (!isValidPeriod(period)) return null;
    const targets = await api.targets(period);
    if (seq !== this.#seq) return null;
    this.#targets = targets.ok
      ? { kind: 'ready', value: targets.value.targets }
      : { kind: 'error', message: failureMessage(targets.failure) };
    return null;
  }

  /** Counts by volunteer for one hamlet or one category of the table, in the current view. */
  async drillInto(by: 'hamlet' | 'category', key: string, label: string): Promise<void> {
    const seq = this.#seq;
    const title = dt.table.drill(label);
    this.#drill = { title, load: { kind: 'loading' } };
    const res = await this.#api().tallies(this.period, ['volunteer', 'category', 'service'], {
      ...this.#filter(),
      [by]: key,
    });
    if (seq !== this.#seq || this.#drill?.title !== title) return;
    if (!res.ok) {
      this.#drill = { title, load: { kind: 'error', message: failureMessage(res.failure) } };
      return;
    }
    const names = this.#recon.kind === 'ready' ? this.#recon.value : [];
    const value = byVolunteer(res.value.rows, this.#view, names);
    this.#drill = { title, load: { kind: 'ready', value } };
  }

  closeDrill(): void {
    this.#drill = null;
  }

  /** Lists the records behind a cell (e.g. a hamlet × category), with the review filter in force. */
  async openRecords(key: DrillFilter, title: string): Promise<void> {
    const filter: DrillFilter = { ...this.#filter(), ...key };
    const drill: RecordsDrill = {
      title,
      filter,
      records: [],
      next: null,
      after: null,
      load: { kind: 'loading' },
    };
    this.#records = drill;
    await this.#page(drill, null);
  }

  /** The next page of the open list, appended. */
  async moreRecords(): Promise<void> {
    const open = this.#records;
    if (!open?.next || open.load.kind === 'loading') return;
    const drill: RecordsDrill = { ...open, after: open.next, load: { kind: 'loading' } };
    this.#records = drill;
    await this.#page(drill, open.next);
  }

  /** Asks again for the page that failed. */
  async retryRecords(): Promise<void> {
    const open = this.#records;
    if (!open || open.load.kind !== 'error') return;
    const drill: RecordsDrill = { ...open, load: { kind: 'loading' } };
    this.#records = drill;
    await this.#page(drill, open.after);
  }

  async #page(drill: RecordsDrill, after: string | null): Promise<void> {
    const seq = this.#seq;
    const res = await this.#api().records(this.period, drill.filter, after);
    // A newer period, another list or a closed panel: this answer is stale.
    if (seq !== this.#seq || this.#records !== drill) return;
    this.#records = res.ok
      ? {
          ...drill,
          records: [...drill.records, ...res.value.records],
          next: res.value.next,
          load: { kind: 'ready' },
        }
      : { ...drill, load: { kind: 'error', message: failureMessage(res.failure) } };
  }

  closeRecords(): void {
    this.#records = null;
  }

  /** A volunteer's name from the reconciliation list (loaded for the same scope), else the id. */
  volunteerName(id: string): string {
    const rows = this.#recon.kind === 'ready' ? this.#recon.value : [];
    return rows.find((r) => r.volunteerId === id)?.displayName ?? id;
  }

  /** Downloads the period's logs with the bearer token, then offers the file as a link. */
  async exportLogs(format: ExportFormat): Promise<void> {
    if (this.#export.kind === 'busy') return;
    this.#export = { kind: 'busy', format };
    const res = await this.#api().download(this.period, format, this.#reviewState || undefined);
    if (!res.ok) {
      this.#export = { kind: 'error', message: `${dt.export.failed} ${failureMessage(res.failure)}` };
      return;
    }
    const url = typeof URL.createObjectURL === 'function' ? URL.createObjectURL(res.blob) : '';
    this.#export = { kind: 'done', url, filename: res.filename };
  }

  hamletName(id: string | null): string {
    return hamletLabel(id, this.#deps.hamlets());
  }
}
