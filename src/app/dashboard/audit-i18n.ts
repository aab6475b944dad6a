// Strings of the admin's audit-log panel, Vietnamese and English (same shape as dashboard/i18n.ts;
// `at` is the active language).
export interface AuditMessages {
  title: string;
  intro: string;
  action: string;
  anyAction: string;
  from: string;
  to: string;
  apply: string;
  hideSync: string;
  clearUser: (name: string) => string;
  onlyUser: (name: string) => string;
  when: string;
  who: string;
  what: string;
  target: string;
  address: string;
  result: string;
  empty: string;
  more: string;
  loading: string;
  actions: Record<string, string>;
  roles: Record<string, string>;
  unknownUser: string;
}

const vi: AuditMessages = {
  title: 'Nhật ký truy cập',
  intro:
    'Ai đã đăng nhập, xem, xuất, sửa, xóa hay duyệt dữ liệu, lúc nào, từ địa chỉ nào. Không ghi nội dung bản ghi.',
  action: 'Loại hành động',
  anyAction: 'Tất cả',
  from: 'Nhật ký từ ngày',
  to: 'Nhật ký đến ngày',
  apply: 'Lọc',
  hideSync: 'Ẩn các lần đồng bộ thường lệ',
  clearUser: (name) => `Bỏ lọc theo ${name}`,
  onlyUser: (name) => `Chỉ xem ${name}`,
  when: 'Thời gian',
  who: 'Người dùng',
  what: 'Hành động',
  target: 'Đối tượng',
  address: 'Địa chỉ',
  result: 'Kết quả',
  empty: 'Không có mục nào.',
  more: 'Xem thêm',
  loading: 'Đang tải…',
  actions: {
    login_ok: 'Đăng nhập',
    login_failed: 'Đăng nhập sai',
    login_throttled: 'Bị chặn đăng nhập',
    denied: 'Truy cập không được phép',
    view: 'Xem',
    export: 'Xuất tệp',
    edit: 'Sửa/thêm bản ghi',
    delete: 'Xóa bản ghi',
    review: 'Duyệt',
    target_change: 'Đổi chỉ tiêu',
    report_settings_change: 'Đổi thiết lập báo cáo',
    cards_publish: 'Phát hành thẻ hướng dẫn',
    account_change: 'Sửa tài khoản, tổ, thôn',
    enrolment_create: 'Tạo mã QR đăng ký máy',
    device_revoke: 'Thu hồi thiết bị',
  },
  roles: { volunteer: 'tình nguyện viên', lead: 'tổ trưởng', supervisor: 'giám sát', admin: 'quản trị' },
  unknownUser: '(không rõ)',
};

export const en: AuditMessages = {
  ...vi,
  title: 'Access log',
  intro:
    'Who logged in, viewed, exported, edited, deleted or reviewed data, when and from where. Record content is never logged.',
  action: 'Action type',
  anyAction: 'All',
  from: 'Log from',
  to: 'Log to',
  apply: 'Filter',
  hideSync: 'Hide routine syncs',
  clearUser: (name) => `Stop filtering by ${name}`,
  onlyUser: (name) => `Only ${name}`,
  when: 'Time',
  who: 'User',
  what: 'Action',
  target: 'Target',
  address: 'Address',
  result: 'Result',
  empty: 'No entries.',
  more: 'Show more',
  loading: 'Loading…',
  actions: {
    login_ok: 'Login',
    login_failed: 'Failed login',
    login_throttled: 'Login blocked',
    denied: 'Access denied',
    view: 'View',
    export: 'Export',
    edit: 'Edit/add records',
    delete: 'Delete records',
    review: 'Review',
    target_change: 'Target change',
    report_settings_change: 'Report settings change',
    cards_publish: 'How-to cards published',
    account_change: 'Accounts, teams, hamlets changed',
    enrolment_create: 'Enrolment QR created',
    device_revoke: 'Device revoked',
  },
  roles: { volunteer: 'volunteer', lead: 'team lead', supervisor: 'supervisor', admin: 'admin' },
  unknownUser: '(unknown)',
};

/** The active language; Vietnamese like the rest of the app. */
export const at: AuditMessages = vi;
