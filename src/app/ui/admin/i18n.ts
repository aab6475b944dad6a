// Every string of the admin's "Quản trị" screen, Vietnamese and English. Kept here, not in the app's
// i18n, so that volunteers never download them (the screen is its own chunk). `at` is the active one.
import { lang } from '../../i18n/index.ts';

export interface AdminMessages {
  title: string;
  loading: string;
  loadFailed: string;
  retry: string;
  users: string;
  teams: string;
  hamlets: string;
  devices: string;
  username: string;
  usernameHint: string;
  displayName: string;
  role: string;
  roles: { volunteer: string; lead: string; supervisor: string; admin: string };
  team: string;
  noTeam: string;
  password: string;
  passwordHint: string;
  endsSessions: string;
  addUser: string;
  save: string;
  saving: string;
  saved: string;
  edit: string;
  cancel: string;
  active: string;
  disabled: string;
  disable: string;
  enable: string;
  name: string;
  addTeam: string;
  addHamlet: string;
  rename: string;
  retire: string;
  restore: string;
  retired: string;
  enrol: string;
  enrolTitle: (name: string) => string;
  enrolHelp: string;
  enrolExpires: (at: string) => string;
  enrolLink: string;
  /** Codes made at an address the phones cannot open (localhost, plain http). */
  enrolOriginUnusable: (origin: string) => string;
  close: string;
  device: string;
  owner: string;
  lastContact: string;
  revoke: string;
  revokeConfirm: (label: string, owner: string) => string;
  disableConfirm: (name: string, username: string) => string;
  revokedAt: (at: string) => string;
  noDevices: string;
  required: string;
  /** A name holding what looks like an ID number (the shared free-text screen; the server refuses it too). */
  looksLikeId: string;
  usernameInvalid: string;
  passwordShort: string;
  teamRequired: string;
  failed: string;
  import: {
    title: string;
    help: string;
    template: string;
    file: string;
    reading: string;
    tooBig: string;
    line: string;
    status: string;
    ok: string;
    phone: string;
    phoneNotKept: string;
    problems: (n: number) => string;
    /** Before the list of rows with problems, each a link to its row in the preview. */
    badLines: string;
    button: (n: number) => string;
    importing: (n: number) => string;
    done: (n: number) => string;
    changed: string;
    sheetTitle: string;
    sheetHelp: string;
    print: string;
    share: string;
    shareText: (name: string) => string;
    copied: string;
    shareFailed: string;
    expires: (at: string) => string;
    again: string;
  };
  /** The heading of a table's column of buttons. */
  actions: string;
  /** The name of a table that scrolls sideways (a focusable region). */
  scrollable: (title: string) => string;
}

const vi: AdminMessages = {
  title: 'Quản trị tài khoản và thiết bị',
  loading: 'Đang tải danh sách…',
  loadFailed: 'Chưa tải được danh sách. Cần có mạng.',
  retry: 'Thử lại',
  users: 'Người dùng',
  teams: 'Tổ',
  hamlets: 'Thôn/ấp',
  devices: 'Thiết bị',
  username: 'Tên đăng nhập',
  usernameHint: 'Chữ thường không dấu, số, dấu chấm, gạch ngang; 3–32 ký tự.',
  displayName: 'Họ tên hiển thị',
  role: 'Vai trò',
  roles: { volunteer: 'Tình nguyện viên', lead: 'Tổ trưởng', supervisor: 'Giám sát', admin: 'Quản trị xã' },
  team: 'Tổ',
  noTeam: '(không thuộc tổ)',
  password: 'Mật khẩu ban đầu (không bắt buộc)',
  passwordHint: 'Để trống nếu chỉ đăng nhập bằng mã QR trên điện thoại. Tối thiểu 8 ký tự.',
  endsSessions:
    'Đổi mật khẩu, vai trò hoặc tổ sẽ đăng xuất người này trên mọi thiết bị (bản ghi chưa gửi vẫn giữ trên máy; họ đăng nhập lại để gửi tiếp).',
  addUser: 'Thêm người dùng',
  save: 'Lưu',
  saving: 'Đang lưu…',
  saved: 'Đã lưu',
  edit: 'Sửa',
  cancel: 'Hủy',
  active: 'Đang hoạt động',
  disabled: 'Đã khóa',
  disable: 'Khóa tài khoản',
  enable: 'Mở khóa',
  name: 'Tên',
  addTeam: 'Thêm tổ',
  addHamlet: 'Thêm thôn/ấp',
  rename: 'Đổi tên',
  retire: 'Ngừng dùng',
  restore: 'Dùng lại',
  retired: 'Đã ngừng dùng',
  enrol: 'Mã QR đăng ký máy',
  enrolTitle: (name) => `Đăng ký điện thoại cho ${name}`,
  enrolHelp:
    'Mở ứng dụng máy ảnh trên điện thoại và quét mã này. Mã chỉ dùng được một lần, không cần mật khẩu.',
  enrolExpires: (at) => `Hết hạn lúc ${at}`,
  enrolLink: 'Liên kết đăng ký',
  enrolOriginUnusable: (origin) =>
    `Mã này mang địa chỉ ${origin}, điện thoại không mở được. Hãy mở màn hình Quản trị bằng địa chỉ https:// mà điện thoại dùng (ví dụ https://192.168.1.10) rồi tạo mã lại.`,
  close: 'Đóng',
  device: 'Thiết bị',
  owner: 'Người dùng',
  lastContact: 'Liên lạc gần nhất',
  revoke: 'Thu hồi',
  revokeConfirm: (label, owner) =>
    `Thu hồi thiết bị "${label}" của ${owner}? Lần kết nối tới, máy sẽ bị xóa toàn bộ dữ liệu của ứng dụng (kể cả bản ghi chưa gửi).`,
  disableConfirm: (name, username) =>
    `Khóa tài khoản của ${name} (${username})? Người này bị đăng xuất trên mọi thiết bị và lần kết nối tới, các máy của họ sẽ bị xóa toàn bộ dữ liệu của ứng dụng (kể cả bản ghi chưa gửi). Mở khóa sau đó không khôi phục các phiên cũ.`,
  revokedAt: (at) => `Đã thu hồi lúc ${at}`,
  noDevices: 'Chưa có thiết bị nào.',
  required: 'Vui lòng nhập trường này.',
  looksLikeId: 'Tên có vẻ chứa số định danh cá nhân. Không ghi số định danh; hãy xoá số này.',
  usernameInvalid: 'Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang (3–32 ký tự).',
  passwordShort: 'Mật khẩu cần ít nhất 8 ký tự.',
  teamRequired: 'Tình nguyện viên và tổ trưởng phải thuộc một tổ.',
  failed: 'Chưa lưu được. Hãy thử lại.',
  import: {
    title: 'Nhập từ bảng tính',
    help: 'Tệp Excel (.xlsx) hoặc CSV với các cột: Họ tên, Tên đăng nhập, Vai trò (tình nguyện viên hoặc tổ trưởng), Tổ, Số điện thoại (không bắt buộc). Chưa ghi gì cho tới khi bấm Nhập.',
    template: 'Tải tệp mẫu (CSV)',
    file: 'Chọn tệp bảng tính',
    reading: 'Đang đọc tệp…',
    tooBig: 'Tệp quá lớn (tối đa 2 MB). Hãy chia danh sách thành nhiều tệp.',
    line: 'Dòng',
    status: 'Kiểm tra',
    ok: 'Hợp lệ',
    phone: 'Số điện thoại',
    phoneNotKept:
      'Số điện thoại chỉ được kiểm tra và hiện trong danh sách sau khi nhập để bạn gửi liên kết; máy chủ không lưu số điện thoại.',
    problems: (n) => `${n} dòng có lỗi. Hãy sửa trong tệp rồi chọn lại tệp; chưa nhập được khi còn lỗi.`,
    badLines: 'Xem dòng có lỗi:',
    button: (n) => `Nhập ${n} người`,
    importing: (n) => `Đang nhập ${n} người…`,
    done: (n) => `Đã nhập ${n} người. Mỗi người có một mã QR đăng ký máy, dùng một lần.`,
    changed: 'Có dòng không còn hợp lệ (ví dụ tên đăng nhập vừa có người dùng). Đã kiểm tra lại tệp:',
    sheetTitle: 'Phiếu mã QR đăng ký máy',
    sheetHelp:
      'In phiếu hoặc gửi liên kết cho từng người. Mỗi mã chỉ dùng một lần; sau khi hết hạn, tạo mã mới bằng nút "Mã QR đăng ký máy" của người đó.',
    print: 'In phiếu (A4)',
    share: 'Gửi liên kết',
    shareText: (name) => `Liên kết đăng ký điện thoại cho ${name} (dùng một lần):`,
    copied: 'Đã chép liên kết.',
    shareFailed: 'Chưa gửi được. Hãy chép liên kết bên dưới.',
    expires: (at) => `Hết hạn: ${at}`,
    again: 'Nhập tệp khác',
  },
  actions: 'Thao tác',
  scrollable: (title) => `${title} (kéo ngang để xem hết)`,
};

const en: AdminMessages = {
  title: 'Accounts and devices',
  loading: 'Loading…',
  loadFailed: 'Could not load the lists. A connection is needed.',
  retry: 'Retry',
  users: 'Users',
  teams: 'Teams',
  hamlets: 'Hamlets',
  devices: 'Devices',
  username: 'Username',
  usernameHint: 'Lower-case letters without accents, digits, dot, dash; 3–32 characters.',
  displayName: 'Display name',
  role: 'Role',
  roles: { volunteer: 'Volunteer', lead: 'Team lead', supervisor: 'Supervisor', admin: 'Commune admin' },
  team: 'Team',
  noTeam: '(no team)',
  password: 'Initial password (optional)',
  passwordHint: 'Leave empty to sign in only through a QR code on the phone. At least 8 characters.',
  endsSessions:
    'A new password, role or team signs this person out on every device (unsent records stay on the phone; they sign in again to send them).',
  addUser: 'Add user',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved',
  edit: 'Edit',
  cancel: 'Cancel',
  active: 'Active',
  disabled: 'Disabled',
  disable: 'Disable account',
  enable: 'Enable',
  name: 'Name',
  addTeam: 'Add team',
  addHamlet: 'Add hamlet',
  rename: 'Rename',
  retire: 'Retire',
  restore: 'Restore',
  retired: 'Retired',
  enrol: 'Enrolment QR',
  enrolTitle: (name) => `Enrol a phone for ${name}`,
  enrolHelp: "Open the phone's camera app and scan this code. It works once and needs no password.",
  enrolExpires: (at) => `Expires at ${at}`,
  enrolLink: 'Enrolment link',
  enrolOriginUnusable: (origin) =>
    `This code carries the address ${origin}, which phones cannot open. Open the admin screen at the https:// address the phones use (for example https://192.168.1.10) and make the code again.`,
  close: 'Close',
  device: 'Device',
  owner: 'User',
  lastContact: 'Last contact',
  revoke: 'Revoke',
  revokeConfirm: (label, owner) =>
    `Revoke the device "${label}" of ${owner}? At its next contact the phone wipes all of the app's data (unsent records included).`,
  disableConfirm: (name, username) =>
    `Disable the account of ${name} (${username})? They are signed out on every device, and at its next contact each of their phones wipes all of the app's data (unsent records included). Enabling it later does not restore the old sessions.`,
  revokedAt: (at) => `Revoked at ${at}`,
  noDevices: 'No devices yet.',
  required: 'Please fill in this field.',
  looksLikeId: 'The name seems to hold an ID number. Do not write ID numbers; remove it.',
  usernameInvalid:
    'Usernames use lower-case letters without accents, digits, dot and dash (3–32 characters).',
  passwordShort: 'The password needs at least 8 characters.',
  teamRequired: 'Volunteers and team leads belong to a team.',
  failed: 'Not saved. Please try again.',
  import: {
    title: 'Import from a spreadsheet',
    help: 'An Excel (.xlsx) or CSV file with the columns: name, username, role (volunteer or lead), team, phone (optional). Nothing is written until you press Import.',
    template: 'Download the template (CSV)',
    file: 'Choose a spreadsheet file',
    reading: 'Reading the file…',
    tooBig: 'The file is too large (2 MB at most). Split the list into several files.',
    line: 'Row',
    status: 'Check',
    ok: 'OK',
    phone: 'Phone',
    phoneNotKept:
      'Phone numbers are only checked and shown in the list after the import, for you to send the links; the server does not keep them.',
    problems: (n) =>
      `${n} rows have problems. Fix them in the file and choose it again; nothing is imported while problems remain.`,
    badLines: 'Go to the rows with problems:',
    button: (n) => `Import ${n} people`,
    importing: (n) => `Importing ${n} people…`,
    done: (n) => `Imported ${n} people. Each has a one-time enrolment QR code.`,
    changed:
      'Some rows are no longer valid (a username was just taken, for example). The file was checked again:',
    sheetTitle: 'Enrolment QR sheet',
    sheetHelp:
      'Print the sheet or send each person their link. Each code works once; once expired, make a new one with that person\'s "Enrolment QR" button.',
    print: 'Print the sheet (A4)',
    share: 'Send the link',
    shareText: (name) => `Phone enrolment link for ${name} (works once):`,
    copied: 'Link copied.',
    shareFailed: 'Could not send it. Copy the link below.',
    expires: (at) => `Expires: ${at}`,
    again: 'Import another file',
  },
  actions: 'Actions',
  scrollable: (title) => `${title} (scroll sideways)`,
};

export const at: AdminMessages = lang === 'en' ? en : vi;
