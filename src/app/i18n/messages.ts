// The shape every UI language must fill (Vietnamese now; English can be added as en.ts).
import type { Glossary } from './glossary.ts';

export interface Messages {
  appName: string;
  loading: string;
  login: {
    title: string;
    intro: string;
    username: string;
    password: string;
    submit: string;
    busy: string;
    badCredentials: string;
    offline: string;
    unreachable: string;
    missing: string;
    back: string;
    otherUserPending: string;
    relogin: string;
  };
  nav: {
    label: string;
    capture: string;
    records: string;
    team: string;
    conflicts: string;
    dashboard: string;
    tallies: string;
    storage: string;
  };
  lang: { label: string; vi: string; en: string };
  status: {
    syncing: string;
    synced: string;
    pending: (n: number) => string;
    offline: string;
    expired: string;
    relogin: string;
    syncNow: string;
    logout: string;
    logoutRefused: (n: number) => string;
    /** 426: the server needs a newer app. */
    clockOff: string;
    outdated: string;
    update: string;
    /** Outbox drain, e.g. "Đang gửi 1.200/5.000". */
    progress: (sent: number, total: number) => string;
    /** "Đồng bộ lần cuối 14:05" */
    lastSync: (time: string) => string;
    failedOffline: string;
    failedServer: string;
    refused: (n: number) => string;
    showRefused: string;
  };
  capture: {
    title: string;
    category: string;
    hamlet: string;
    hamletPlaceholder: string;
    outcome: string;
    service: string;
    servicePlaceholder: string;
    failReason: string;
    failReasonPlaceholder: string;
    more: string;
    occurredOn: string;
    place: string;
    paidOnline: string;
    ageBand: string;
    sex: string;
    followUpOn: string;
    note: string;
    noteHint: string;
    occurredInFuture: string;
    notePersonal: string;
    unset: string;
    save: string;
    saving: string;
    saved: string;
    fixFields: string;
    noHamlets: string;
    undo: string;
    undone: string;
    serviceSearch: string;
    serviceMatches: (n: number) => string;
  };
  records: {
    title: string;
    empty: string;
    loading: string;
    shown: (n: number) => string;
    teamTitle: string;
    teamEmpty: string;
    search: string;
    filterState: string;
    filterCategory: string;
    all: string;
    pending: string;
    synced: string;
    refused: string;
    more: string;
    due: string;
    overdue: string;
    noMatch: string;
  };
  tallies: {
    title: string;
    loading: string;
    today: string;
    week: string;
    month: string;
    total: string;
    byCategory: string;
    byOutcome: string;
    period: string;
    /** Distinct citizens of the own records with an ID number typed on this device. */
    citizens: string;
    citizensHelp: string;
    /** Whose figures the screen shows: the reader's own records on this phone. */
    scope: string;
  };
  storagePage: {
    title: string;
    loading: string;
    persisted: string;
    notPersisted: string;
    used: string;
    free: string;
    unknown: string;
    pending: (n: number) => string;
    iosWarning: string;
    iosSteps: string;
    export: string;
    exportHint: string;
    exported: (n: number) => string;
    build: (label: string) => string;
  };
  db: { upgraded: string; blocked: string };
  edit: {
    title: string;
    save: string;
    saved: string;
    noChange: string;
    back: string;
    delete: string;
    confirmDelete: string;
    confirm: string;
    cancel: string;
    deleted: string;
    missing: string;
  };
  /** The rest of the conflicts screen's words are its own lazy module's (i18n/conflicts.ts). */
  conflicts: {
    loading: string;
    failed: string;
  };
  syncState: {
    to_post: string;
    to_update: string;
    uploading: string;
    synced: string;
    error: (reason: string) => string;
  };
  sync: { unknownError: string };
  storage: { quota: string; failed: string; unavailable: string };
  update: { available: string; apply: string; offlineReady: string; dismiss: string };
  /** A lead's review of a record (ODK Central style) and how a volunteer sees it. */
  review: {
    /** The lead's section in the editor. */
    title: string;
    /** Before the state at the top of the editor. */
    status: string;
    /** Review state labels (Vietnamese: the shared REVIEW_STATE_LABELS_VI). */
    states: { received: string; has_issues: string; approved: string; rejected: string };
    /** The volunteer's badge for `has_issues`. */
    needsFix: string;
    /** Before the lead's comment. */
    commentBy: string;
    stateLegend: string;
    comment: string;
    commentHint: (max: number) => string;
    tooLong: (max: number) => string;
    /** The comment holds what looks like an ID number (shared free-text screen). */
    looksLikeId: string;
    chooseState: string;
    send: string;
    sending: string;
    sent: string;
    offline: string;
    unreachable: string;
    invalidAnswer: string;
    expired: string;
    forbidden: string;
    notFound: string;
    failed: string;
  };
  /** The "Liên hệ theo dõi" section of the capture form: consent step and ID number (docs/privacy.md). */
  contact: {
    section: string;
    intro: string;
    noticeTitle: string;
    consent: string;
    method: string;
    methodPlaceholder: string;
    idNumber: string;
    idHint: string;
    idDigits: string;
    idProvince: string;
    idCentury: string;
    consentRequired: string;
    methodRequired: string;
    noSecret: string;
    noteLooksId: string;
    noteLooksPhone: string;
    name: string;
    phone: string;
    dossierCode: string;
    contactHint: string;
    noContactKey: string;
  };
  /** The admin's data-subject requests screen (docs/privacy.md). */
  subjects: {
    tab: string;
  };
  /** Accounts and devices (docs/operations.md): QR enrolment, a revoked phone, the admin's tab. */
  accounts: {
    enrolling: string;
    enrolOffline: string;
    enrolFailed: string;
    revokedTitle: string;
    deviceRevoked: string;
    accountDisabled: string;
    wipedNote: string;
    wipeFailed: string;
    continue: string;
    tab: string;
  };
  /** Hand-off to the team lead without internet (docs/handoff.md). */
  handoff: {
    tab: string;
    /** Badges of a record in the lists. */
    markHandedOver: string;
    markDelivered: string;
  };
  /** The one word of each sync and review state (glossary.ts); the blocks above read it. */
  glossary: Glossary;
  /** The app shell: the one-line status, the bottom navigation, the home warning. */
  shell: {
    /** Short names of the places that have none in `nav` (see `placeLabel`). */
    places: {
      records: string;
      team: string;
      admin: string;
      subjects: string;
      cards: string;
      sessions: string;
      more: string;
    };
    /** The last run failed though the phone says it is online (details on "Thêm"). */
    notSent: string;
  };
}
