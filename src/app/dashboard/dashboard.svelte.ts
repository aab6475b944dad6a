// The dashboard's state: the chosen period and view, the one report answer every figure is drawn
// from, the trend (a tally by day, week, month or quarter), the review-state filter, the
// drill-downs (counts by volunteer, and the records behind a table cell), reconciliation and the
// exports. Each part fails with a Vietnamese reason.
import {
  localDay,
  type DrillRecord,
  type ReconciliationResponse,
  type ReportSummary,
  type TallyResponse,
} from '../../shared/index.ts';
import {
  DashboardApi,
  failureMessage,
  type DrillFilter,
  type ExportFormat,
  type TallyFilter,
  type TargetDraft,
} from './api.ts';
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
} from '../../shared/periods.ts';
import {
  byVolunteer,
  categoryBars,
  crossTable,
  hamletLabel,
  tallyCells,
  trendBars,
  type Bar,
  type CrossTable,
  type Named,
  type ReportView,
  type VolunteerCount,
} from './report.ts';

export type Load<T> = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; value: T };

export interface Figures {
  /** The report answer, as the server gave it (the printout takes it whole). */
  summary: ReportSummary;
  /** The report's hamlet × category table (every figure of the counted definition). */
  table: CrossTable;
  /** With a review-state filter: the same table for that state alone, from a tally. */
  filtered: CrossTable | null;
  byHamlet: Bar[];
  byCategory: Bar[];
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
  #answers = $state.raw<
    Load<{
      report: ReportSummary;
      trend: TallyResponse;
      unit: TrendUnit;
      filtered: TallyResponse | null;
    }>
  >({ kind: 'loading' });
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
    const a = this.#answers;
    if (a.kind !== 'ready') return a;
    const { report, trend, unit, filtered } = a.value;
    const hamlets = report.hamlets.length > 0 ? report.hamlets : this.#deps.hamlets();
    const table = crossTable(report.hamletCategory, hamlets);
    return {
      kind: 'ready',
      value: {
        summary: report,
        table,
        filtered: filtered ? crossTable(tallyCells(filtered.rows), hamlets) : null,
        byHamlet: table.hamlets,
        byCategory: categoryBars(report),
        trend: trendBars(trend.rows, unit, report.period),
        unit,
      },
    };
  }
  /** The report answer alone (targets, scope), once loaded. */
  get summary(): ReportSummary | null {
    return this.#answers.kind === 'ready' ? this.#answers.value.report : null;
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
  /** The view and review state every tally and records list of the screen is narrowed by. */
  #filter(): TallyFilter {
    return {
      ...(this.#view === 'all' ? {} : { view: this.#view }),
      ...(this.#reviewState ? { reviewState: this.#reviewState } : {}),
    };
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
    if (view === this.#view) return;
    this.#view = view;
    void this.load();
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
      this.#answers = this.#recon = error;
      return;
    }
    this.#answers = this.#recon = { kind: 'loading' };
    const api = this.#api();
    const unit = this.trendUnit;
    const filter = this.#filter();
    const answers = Promise.all([
      api.report(period, this.#view),
      api.tallies(period, [unit], filter),
      filter.reviewState ? api.tallies(period, ['hamlet', 'category'], filter) : null,
    ]).then(([report, trend, filtered]) => {
      if (seq !== this.#seq) return;
      const failed = [report, trend, filtered].find((r) => r && !r.ok);
      if (failed && !failed.ok) this.#answers = { kind: 'error', message: failureMessage(failed.failure) };
      else if (report.ok && trend.ok)
        this.#answers = {
          kind: 'ready',
          value: {
            report: report.value,
            trend: trend.value,
            unit,
            filtered: filtered?.ok ? filtered.value : null,
          },
        };
    });
    const recon = api.reconciliation(period).then((res) => {
      if (seq !== this.#seq) return;
      this.#recon = res.ok
        ? { kind: 'ready', value: res.value.rows }
        : { kind: 'error', message: failureMessage(res.failure) };
    });
    await Promise.all([answers, recon]);
  }

  /**
   * Stores a target (admin) and asks the report again, whose targets carry the new one's progress.
   * Answers null on success, else the Vietnamese reason.
   */
  async saveTarget(input: TargetDraft): Promise<string | null> {
    const api = this.#api();
    const res = await api.putTarget(input);
    if (!res.ok) return `${dt.targets.form.failed} ${failureMessage(res.failure)}`;
    const seq = this.#seq;
    const period = this.period;
    if (!isValidPeriod(period)) return null;
    const report = await api.report(period, this.#view);
    const current = this.#answers;
    if (seq !== this.#seq || current.kind !== 'ready') return null;
    if (!report.ok) return `${dt.targets.form.saved} ${failureMessage(report.failure)}`;
    this.#answers = { kind: 'ready', value: { ...current.value, report: report.value } };
    return null;
  }

  /** Counts by volunteer for one hamlet or one category of the table, in the current view. */
  async drillInto(by: 'hamlet' | 'category', key: string, label: string): Promise<void> {
    const seq = this.#seq;
    const title = dt.table.drill(label);
    this.#drill = { title, load: { kind: 'loading' } };
    const res = await this.#api().tallies(this.period, ['volunteer'], { ...this.#filter(), [by]: key });
    if (seq !== this.#seq || this.#drill?.title !== title) return;
    if (!res.ok) {
      this.#drill = { title, load: { kind: 'error', message: failureMessage(res.failure) } };
      return;
    }
    const value = byVolunteer(res.value.rows, this.#names());
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

  /** Names of the people in scope: the report's volunteers, then the reconciliation's list. */
  #names(): { volunteerId: string; displayName: string }[] {
    const ranked = this.summary?.volunteers ?? [];
    const recon = this.#recon.kind === 'ready' ? this.#recon.value : [];
    return [...ranked.map((v) => ({ volunteerId: v.volunteerId, displayName: v.name })), ...recon];
  }

  /** A volunteer's name, else the id. */
  volunteerName(id: string): string {
    return this.#names().find((r) => r.volunteerId === id)?.displayName ?? id;
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
    const listed = this.summary?.hamlets ?? [];
    return hamletLabel(id, listed.length > 0 ? listed : this.#deps.hamlets());
  }
}
