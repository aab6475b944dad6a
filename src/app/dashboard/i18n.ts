// Every string of the supervisors' "Tổng hợp" dashboard, Vietnamese and English (the app's i18n
// takes these over once the screen is wired in). `dt` is the active language.
import type { Agency } from '../../shared/index.ts';
import { glossaryVi, t } from '../i18n/index.ts';
import type { PeriodKind } from '../../shared/periods.ts';

export interface DashboardMessages {
  title: string;
  /** The title naming whose figures: "Tổng hợp · Toàn xã", "Tổng hợp · Tổ CNS số 1". */
  titleFor: (scope: string) => string;
  loading: string;
  retry: string;
  period: {
    label: string;
    kinds: Record<PeriodKind, string>;
    from: string;
    to: string;
    prev: string;
    next: string;
    invalid: string;
    range: (from: string, to: string) => string;
  };
  view: { label: string; all: string; deAn06: string; deAn06Hint: string };
  counted: {
    /** The <details> summary over the written definition of what counts. */
    help: string;
    /** Refused records, out of the total: one wording on every section. */
    rejected: (n: string) => string;
    asOf: (day: string) => string;
  };
  totals: { count: string; citizens: string };
  compare: {
    current: string;
    previous: string;
    lastYear: string;
    change: string;
    /** "Kỳ trước: 01/10–31/10/2026" */
    previousRange: (range: string) => string;
    lastYearRange: (range: string) => string;
    /** A card's comparison line: "Kỳ trước: 30 (+12)". */
    line: (name: string, value: string, change: string) => string;
    /** What the small "+12" under a compared figure means. */
    hint: string;
  };
  services: {
    title: string;
    agency: Record<Agency, string>;
    service: string;
    count: string;
    paidOnline: string;
    groupTotal: (agency: string) => string;
    /** "Thanh toán trực tuyến: 3/8, đạt 37,50 %" */
    payment: (progress: string) => string;
    paymentHint: string;
  };
  categories: { title: string };
  outcomes: { title: string; outcome: string; failTitle: string; reason: string };
  teams: { title: string; team: string; citizens: string; activeVolunteers: string; empty: string };
  volunteers: {
    title: string;
    rank: string;
    name: string;
    team: string;
    count: string;
    activeDays: string;
    perDay: string;
    noTeam: string;
    empty: string;
  };
  charts: {
    byHamlet: string;
    byCategory: string;
    trend: string;
    noData: string;
    bar: (label: string, value: string) => string;
    unit: { day: string; week: string; month: string; quarter: string };
    /** The trend unit chooser's label. */
    unitLabel: string;
  };
  table: {
    title: string;
    hamlet: string;
    category: string;
    total: string;
    drill: (name: string) => string;
    volunteer: string;
    count: string;
    citizens: string;
    close: string;
    unknownHamlet: string;
    unknownVolunteer: string;
  };
  targets: {
    title: string;
    empty: string;
    commune: string;
    /** Whose target a row is: "Phạm vi: Tổ CNS số 1". */
    scope: (label: string) => string;
    form: {
      title: string;
      category: string;
      outcome: string;
      outcomeAny: string;
      /** The one choice of the commune, a team or a hamlet. */
      scope: string;
      teams: string;
      hamlets: string;
      target: string;
      targetInvalid: string;
      /** The optional name shown instead of category/outcome/hamlet in the list. */
      label: string;
      labelLooksId: string;
      period: (from: string, to: string) => string;
      periodInvalid: string;
      save: string;
      saving: string;
      saved: string;
      failed: string;
    };
  };
  recon: {
    title: string;
    intro: string;
    volunteer: string;
    device: string;
    server: string;
    pending: string;
    lastSynced: string;
    mark: string;
    complete: string;
    missing: (n: string) => string;
    noReport: string;
    mismatch: string;
    never: string;
    empty: string;
    summary: (complete: number, total: number) => string;
  };
  export: { csv: string; xlsx: string; busy: string; done: string; failed: string };
  print: {
    button: string;
    nation: string;
    motto: string;
    heading: string;
    period: (from: string, to: string) => string;
    tableTitle: string;
    targetsTitle: string;
    target: string;
    achieved: string;
    percent: string;
    /** `day` is `YYYY-MM-DD`. */
    place: (commune: string, day: string) => string;
    preparer: string;
  };
  errors: {
    offline: string;
    expired: string;
    forbidden: string;
    unsupported: string;
    invalid: string;
    http: (status: number) => string;
  };
  review: {
    label: string;
    all: string;
    none: string;
    states: Record<'received' | 'has_issues' | 'approved' | 'rejected', string>;
    /** Under the filter: what it narrows, and that the report's figures keep the one definition. */
    note: string;
    /** The filtered table's title. */
    tableTitle: (state: string) => string;
  };
  records: {
    /** Aria label of a table cell's button. */
    open: (hamlet: string, category: string, count: string) => string;
    title: (hamlet: string, category: string) => string;
    day: string;
    hamlet: string;
    category: string;
    outcome: string;
    service: string;
    volunteer: string;
    review: string;
    note: string;
    more: string;
    shown: (n: string) => string;
    empty: string;
  };
  scrollable: (title: string) => string;
}

const vi: DashboardMessages = {
  title: 'Tổng hợp',
  titleFor: (scope) => `Tổng hợp · ${scope}`,
  loading: 'Đang tải số liệu…',
  retry: 'Thử lại',
  period: {
    label: 'Kỳ báo cáo',
    kinds: {
      week: 'Tuần',
      month: 'Tháng',
      quarter: 'Quý',
      nine_months: '9 tháng',
      year: 'Năm',
      custom: 'Tùy chọn',
    },
    from: 'Từ ngày',
    to: 'Đến ngày',
    prev: 'Kỳ trước',
    next: 'Kỳ sau',
    invalid: 'Khoảng ngày không hợp lệ: "Từ ngày" phải trước hoặc bằng "Đến ngày".',
    range: (from, to) => `Từ ${from} đến ${to}`,
  },
  view: {
    label: 'Loại báo cáo',
    all: 'Tất cả',
    deAn06: 'Đề án 06 (công an xã)',
    deAn06Hint: 'Căn cước, VNeID và các dịch vụ công do công an giải quyết.',
  },
  counted: {
    help: 'Cách tính số liệu',
    rejected: (n) =>
      `Không tính vào tổng: ${n} bản ghi bị từ chối khi duyệt (“${glossaryVi.review.rejected}”)`,
    asOf: (day) => `Số liệu tính đến ngày ${day}`,
  },
  totals: {
    count: 'Lượt hỗ trợ',
    citizens: 'Người dân (không trùng)',
  },
  compare: {
    current: 'Kỳ này',
    previous: 'Kỳ trước',
    lastYear: 'Cùng kỳ năm trước',
    change: 'Tăng/giảm',
    previousRange: (range) => `Kỳ trước: ${range}`,
    lastYearRange: (range) => `Cùng kỳ năm trước: ${range}`,
    line: (name, value, change) => `${name}: ${value} (${change})`,
    hint: 'Số nhỏ “+12”, “−3” cho biết kỳ này tăng hoặc giảm bao nhiêu so với kỳ được so sánh.',
  },
  services: {
    title: 'Theo dịch vụ công thiết yếu',
    agency: { police: 'Công an', commune: 'UBND xã', other: 'Khác' },
    service: 'Dịch vụ công',
    count: 'Số lượt',
    paidOnline: 'Thanh toán trực tuyến',
    groupTotal: (agency) => `Cộng ${agency}`,
    payment: (progress) => `Thanh toán trực tuyến: ${progress}`,
    paymentHint: 'Trên số lượt hỗ trợ có ghi dịch vụ công.',
  },
  categories: { title: 'Theo loại hỗ trợ, so với kỳ trước và cùng kỳ năm trước' },
  outcomes: {
    title: 'Theo kết quả',
    outcome: 'Kết quả',
    failTitle: 'Lý do không thành công',
    reason: 'Lý do',
  },
  teams: {
    title: 'Theo tổ',
    team: 'Tổ',
    citizens: 'Người dân',
    activeVolunteers: 'Tình nguyện viên có hoạt động',
    empty: 'Chưa có tổ nào có số liệu trong kỳ.',
  },
  volunteers: {
    title: 'Xếp hạng tình nguyện viên (đề xuất khen thưởng)',
    rank: 'Hạng',
    name: 'Tình nguyện viên',
    team: 'Tổ',
    count: 'Số lượt',
    activeDays: 'Ngày hoạt động',
    perDay: 'Lượt/ngày hoạt động',
    noTeam: 'Chưa thuộc tổ',
    empty: 'Chưa có tình nguyện viên nào có số liệu trong kỳ.',
  },
  charts: {
    byHamlet: 'Theo thôn/ấp',
    byCategory: 'Theo loại hỗ trợ',
    trend: 'Diễn biến theo thời gian',
    noData: 'Chưa có số liệu trong kỳ.',
    bar: (label, value) => `${label}: ${value} lượt`,
    unit: { day: 'theo ngày', week: 'theo tuần', month: 'theo tháng', quarter: 'theo quý' },
    unitLabel: 'Xem diễn biến',
  },
  table: {
    title: 'Bảng số liệu theo thôn/ấp và loại hỗ trợ',
    hamlet: 'Thôn/ấp',
    category: 'Loại hỗ trợ',
    total: 'Tổng',
    drill: (name) => `Chi tiết theo tình nguyện viên: ${name}`,
    volunteer: 'Tình nguyện viên',
    count: 'Lượt',
    citizens: 'Người dân',
    close: 'Đóng',
    unknownHamlet: 'Chưa ghi thôn/ấp',
    unknownVolunteer: 'Không rõ',
  },
  targets: {
    title: 'Tiến độ so với kế hoạch',
    empty: 'Chưa có chỉ tiêu cho kỳ này.',
    commune: 'Toàn xã',
    scope: (label) => `Phạm vi: ${label}`,
    form: {
      title: 'Đặt chỉ tiêu',
      category: 'Loại hỗ trợ',
      outcome: 'Kết quả',
      outcomeAny: 'Bất kỳ kết quả nào',
      scope: 'Áp dụng cho',
      teams: 'Tổ',
      hamlets: 'Thôn/ấp',
      target: 'Chỉ tiêu',
      targetInvalid: 'Chỉ tiêu phải là số nguyên dương.',
      label: 'Tên chỉ tiêu (không bắt buộc)',
      labelLooksId: 'Tên chỉ tiêu có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
      period: (from, to) => `Kỳ: từ ${from} đến ${to}`,
      periodInvalid: 'Chọn kỳ báo cáo hợp lệ trước khi đặt chỉ tiêu.',
      save: 'Lưu chỉ tiêu',
      saving: 'Đang lưu…',
      saved: 'Đã lưu chỉ tiêu.',
      failed: 'Không lưu được chỉ tiêu.',
    },
  },
  recon: {
    title: 'Đối chiếu số liệu máy – máy chủ',
    intro: 'Số bản ghi trên máy của từng tình nguyện viên so với số máy chủ đã nhận trong kỳ.',
    volunteer: 'Tình nguyện viên',
    device: 'Trên máy',
    server: 'Máy chủ',
    pending: glossaryVi.sync.to_post,
    lastSynced: 'Đồng bộ lần cuối',
    mark: 'Tình trạng',
    complete: 'Đủ',
    missing: (n) => `Thiếu ${n}`,
    noReport: 'Chưa báo cáo',
    mismatch: 'Chưa khớp',
    never: 'Chưa bao giờ',
    empty: 'Chưa có tình nguyện viên nào trong phạm vi.',
    summary: (complete, total) => `${complete}/${total} tình nguyện viên đủ số liệu`,
  },
  export: {
    csv: 'Xuất CSV',
    xlsx: 'Xuất Excel (XLSX)',
    busy: 'Đang xuất…',
    done: 'Đã tạo tệp. Nếu trình duyệt không tự tải, bấm vào liên kết:',
    failed: 'Không xuất được tệp.',
  },
  print: {
    button: 'In báo cáo',
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    heading: 'BÁO CÁO KẾT QUẢ HỖ TRỢ NGƯỜI DÂN',
    period: (from, to) => `(Từ ngày ${from} đến ngày ${to})`,
    tableTitle: 'I. Kết quả theo thôn/ấp và loại hỗ trợ',
    targetsTitle: 'II. Kết quả so với kế hoạch',
    target: 'Chỉ tiêu',
    achieved: 'Thực hiện',
    percent: 'Tỷ lệ',
    place: (commune, day) =>
      `${commune}, ngày ${day.slice(8, 10)} tháng ${day.slice(5, 7)} năm ${day.slice(0, 4)}`,
    preparer: 'NGƯỜI LẬP BÁO CÁO',
  },
  errors: {
    offline: 'Không có mạng. Cần kết nối để xem số liệu tổng hợp.',
    expired: 'Phiên đăng nhập hết hạn, vui lòng đăng nhập lại.',
    forbidden: 'Tài khoản này không có quyền xem số liệu tổng hợp.',
    unsupported: 'Máy chủ chưa hỗ trợ báo cáo tổng hợp.',
    invalid: 'Máy chủ trả lời không đúng định dạng (có thể mạng đang chặn). Vui lòng thử lại.',
    http: (status) => `Không tải được số liệu (lỗi ${status}). Vui lòng thử lại.`,
  },
  review: {
    label: 'Trạng thái duyệt',
    all: 'Tất cả',
    none: glossaryVi.review.none,
    states: {
      received: glossaryVi.review.received,
      has_issues: glossaryVi.review.has_issues,
      approved: glossaryVi.review.approved,
      rejected: glossaryVi.review.rejected,
    },
    note: 'Bộ lọc này áp dụng cho bảng theo thôn/ấp, diễn biến theo thời gian, danh sách bản ghi và tệp xuất; các số liệu tổng hợp khác luôn tính theo cách tính chung.',
    tableTitle: (state) => `Bảng theo thôn/ấp và loại hỗ trợ, chỉ bản ghi “${state}”`,
  },
  records: {
    open: (hamlet, category, count) => `Xem ${count} bản ghi: ${hamlet}, ${category}`,
    title: (hamlet, category) => `Các bản ghi: ${hamlet} – ${category}`,
    day: 'Ngày',
    hamlet: 'Thôn/ấp',
    category: 'Loại hỗ trợ',
    outcome: 'Kết quả',
    service: 'Thủ tục',
    volunteer: 'Tình nguyện viên',
    review: 'Duyệt',
    note: 'Ghi chú',
    more: 'Xem thêm',
    shown: (n) => `Đang hiện ${n} bản ghi`,
    empty: 'Không có bản ghi nào.',
  },
  /** The name of a table or chart that scrolls sideways (a focusable region). */
  scrollable: (title) => `${title} (kéo ngang để xem hết)`,
};

const en: DashboardMessages = {
  title: 'Overview',
  titleFor: (scope) => `Overview · ${scope}`,
  loading: 'Loading figures…',
  retry: 'Retry',
  period: {
    label: 'Report period',
    kinds: {
      week: 'Week',
      month: 'Month',
      quarter: 'Quarter',
      nine_months: '9 months',
      year: 'Year',
      custom: 'Custom',
    },
    from: 'From',
    to: 'To',
    prev: 'Previous period',
    next: 'Next period',
    invalid: 'Invalid range: "From" must be on or before "To".',
    range: (from, to) => `From ${from} to ${to}`,
  },
  view: {
    label: 'Report type',
    all: 'All',
    deAn06: 'Project 06 (commune police)',
    deAn06Hint: 'ID card, VNeID and public services handled by the police.',
  },
  counted: {
    help: 'How the figures are counted',
    rejected: (n) => `Not in the total: ${n} records "${t.glossary.review.rejected}"`,
    asOf: (day) => `Figures as of ${day}`,
  },
  totals: { count: 'Assistances', citizens: 'Citizens (distinct)' },
  compare: {
    current: 'This period',
    previous: 'Previous period',
    lastYear: 'Same period last year',
    change: 'Change',
    previousRange: (range) => `Previous period: ${range}`,
    lastYearRange: (range) => `Same period last year: ${range}`,
    line: (name, value, change) => `${name}: ${value} (${change})`,
    hint: 'The small "+12", "−3" tell how much this period rose or fell against the period compared.',
  },
  services: {
    title: 'By essential public service',
    agency: { police: 'Police', commune: 'Commune office', other: 'Other' },
    service: 'Public service',
    count: 'Assistances',
    paidOnline: 'Paid online',
    groupTotal: (agency) => `Total ${agency}`,
    payment: (progress) => `Paid online: ${progress}`,
    paymentHint: 'Of the assistances naming a public service.',
  },
  categories: { title: 'By category, against the previous period and last year' },
  outcomes: { title: 'By outcome', outcome: 'Outcome', failTitle: 'Reasons for failure', reason: 'Reason' },
  teams: {
    title: 'By team',
    team: 'Team',
    citizens: 'Citizens',
    activeVolunteers: 'Active volunteers',
    empty: 'No team has figures in this period.',
  },
  volunteers: {
    title: 'Volunteers ranked (for commendation)',
    rank: 'Rank',
    name: 'Volunteer',
    team: 'Team',
    count: 'Assistances',
    activeDays: 'Active days',
    perDay: 'Per active day',
    noTeam: 'No team',
    empty: 'No volunteer has figures in this period.',
  },
  charts: {
    byHamlet: 'By hamlet',
    byCategory: 'By category',
    trend: 'Over time',
    noData: 'No figures in this period.',
    bar: (label, value) => `${label}: ${value} assistances`,
    unit: { day: 'by day', week: 'by week', month: 'by month', quarter: 'by quarter' },
    unitLabel: 'Show the trend',
  },
  table: {
    title: 'Figures by hamlet and category',
    hamlet: 'Hamlet',
    category: 'Category',
    total: 'Total',
    drill: (name) => `By volunteer: ${name}`,
    volunteer: 'Volunteer',
    count: 'Assistances',
    citizens: 'Citizens',
    close: 'Close',
    unknownHamlet: 'No hamlet',
    unknownVolunteer: 'Unknown',
  },
  targets: {
    title: 'Progress against targets',
    empty: 'No targets for this period.',
    commune: 'Whole commune',
    scope: (label) => `Scope: ${label}`,
    form: {
      title: 'Set a target',
      category: 'Category',
      outcome: 'Outcome',
      outcomeAny: 'Any outcome',
      scope: 'Applies to',
      teams: 'Teams',
      hamlets: 'Hamlets',
      target: 'Target',
      targetInvalid: 'The target must be a positive whole number.',
      label: 'Target name (optional)',
      labelLooksId: 'The target name seems to hold an ID number. Do not write ID numbers; remove it.',
      period: (from, to) => `Period: ${from} to ${to}`,
      periodInvalid: 'Choose a valid period before setting a target.',
      save: 'Save target',
      saving: 'Saving…',
      saved: 'Target saved.',
      failed: 'Could not save the target.',
    },
  },
  recon: {
    title: 'Device vs server reconciliation',
    intro: "Records on each volunteer's device against what the server received in the period.",
    volunteer: 'Volunteer',
    device: 'On device',
    server: 'Server',
    pending: 'Pending',
    lastSynced: 'Last synced',
    mark: 'Status',
    complete: 'Complete',
    missing: (n) => `Missing ${n}`,
    noReport: 'No report',
    mismatch: 'Mismatch',
    never: 'Never',
    empty: 'No volunteers in scope.',
    summary: (complete, total) => `${complete}/${total} volunteers complete`,
  },
  export: {
    csv: 'Export CSV',
    xlsx: 'Export Excel (XLSX)',
    busy: 'Exporting…',
    done: 'File ready. If it did not download, use the link:',
    failed: 'Export failed.',
  },
  print: {
    button: 'Print report',
    nation: 'SOCIALIST REPUBLIC OF VIETNAM',
    motto: 'Independence - Freedom - Happiness',
    heading: 'REPORT ON CITIZEN ASSISTANCE',
    period: (from, to) => `(From ${from} to ${to})`,
    tableTitle: 'I. Results by hamlet and category',
    targetsTitle: 'II. Results against targets',
    target: 'Target',
    achieved: 'Achieved',
    percent: 'Rate',
    place: (commune, day) => `${commune}, ${day}`,
    preparer: 'PREPARED BY',
  },
  errors: {
    offline: 'Offline. The overview needs a connection.',
    expired: 'Session expired, please sign in again.',
    forbidden: 'This account may not view the overview.',
    unsupported: 'The server does not offer reports yet.',
    invalid: 'The server answered in an unexpected format (a network may be blocking it). Please retry.',
    http: (status) => `Could not load figures (error ${status}). Please retry.`,
  },
  review: {
    label: 'Review state',
    all: 'All',
    // The active catalogue's words: this block is meant for when English is the active language.
    none: t.glossary.review.none,
    states: {
      received: t.glossary.review.received,
      has_issues: t.glossary.review.has_issues,
      approved: t.glossary.review.approved,
      rejected: t.glossary.review.rejected,
    },
    note: 'This filter narrows the hamlet table, the trend, the record lists and the exports; the other figures always follow the one definition.',
    tableTitle: (state) => `Figures by hamlet and category, only records "${state}"`,
  },
  records: {
    open: (hamlet, category, count) => `Show ${count} records: ${hamlet}, ${category}`,
    title: (hamlet, category) => `Records: ${hamlet} – ${category}`,
    day: 'Date',
    hamlet: 'Hamlet',
    category: 'Type',
    outcome: 'Outcome',
    service: 'Service',
    volunteer: 'Volunteer',
    review: 'Review',
    note: 'Note',
    more: 'Show more',
    shown: (n) => `Showing ${n} records`,
    empty: 'No records.',
  },
  /** The name of a table or chart that scrolls sideways (a focusable region). */
  scrollable: (title) => `${title} (scroll sideways)`,
};

export const dashboardMessages = { vi, en } as const;
/** The active language; Vietnamese like the rest of the app. */
export const dt: DashboardMessages = vi;
