// The shape every UI language must fill (Vietnamese now; English can be added as en.ts).
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
  nav: { label: string; capture: string; records: string; team: string; conflicts: string };
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
    outdated: string;
    update: string;
    /** Outbox drain, e.g. "Đang gửi 1.200/5.000". */
    progress: (sent: number, total: number) => string;
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
    notePersonal: string;
    unset: string;
    save: string;
    saving: string;
    saved: string;
    fixFields: string;
    noHamlets: string;
  };
  records: {
    title: string;
    empty: string;
    loading: string;
    shown: (n: number) => string;
    teamTitle: string;
    teamEmpty: string;
  };
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
  conflicts: {
    title: string;
    intro: string;
    loading: string;
    empty: string;
    kept: string;
    lost: string;
    offline: string;
    failed: string;
    unsupported: string;
    retry: string;
    emptyValue: string;
    yes: string;
    no: string;
    unknownRecord: string;
    unknownAuthor: string;
    you: string;
    roles: Record<string, string>;
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
}
