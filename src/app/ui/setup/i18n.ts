// Every string of the first-run set-up page, Vietnamese and English. Kept here, not in the app's
// i18n, so that phones never download them (the page is its own chunk). `st` is the active one.
import { lang } from '../../i18n/index.ts';

const vi = {
  title: 'Thiết lập lần đầu',
  intro:
    'Máy chủ chưa có xã nào. Nhập thông tin xã/phường, các thôn/ấp/tổ dân phố, các tổ và tài khoản quản trị đầu tiên. Mọi thứ được tạo một lần; sau đó đường dẫn này không dùng được nữa.',
  noToken: 'Đường dẫn thiếu mã thiết lập. Hãy mở đúng đường dẫn in ra khi khởi động máy chủ.',
  commune: 'Xã/phường',
  communeName: 'Tên chính thức của xã/phường',
  communeCode: 'Mã xã/phường (5 chữ số)',
  hamlets: 'Thôn/ấp/tổ dân phố',
  teams: 'Các tổ công nghệ số',
  oneALine: 'Mỗi dòng một tên; có thể dán cả danh sách. Dòng trống và tên trùng được bỏ qua.',
  admin: 'Quản trị đầu tiên',
  displayName: 'Họ tên hiển thị',
  username: 'Tên đăng nhập',
  usernameHint: '3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới.',
  password: 'Mật khẩu (ít nhất 8 ký tự)',
  passwordConfirm: 'Nhập lại mật khẩu',
  submit: 'Tạo xã và tài khoản quản trị',
  saving: 'Đang tạo…',
  fix: 'Hãy sửa các ô có lỗi bên dưới.',
  failed: 'Không gửi được. Kiểm tra kết nối tới máy chủ rồi thử lại.',
  done: (name: string, code: string) => `Đã thiết lập xong ${name} (mã ${code}).`,
  counts: (h: number, t: number) => `${h} thôn/ấp/tổ dân phố, ${t} tổ.`,
  loginNow: (u: string) =>
    `Tài khoản quản trị “${u}” đã sẵn sàng. Đăng nhập trên màn hình đăng nhập của ứng dụng.`,
  goLogin: 'Đến màn hình đăng nhập',
};

export type SetupMessages = typeof vi;

const en: SetupMessages = {
  title: 'First-run set-up',
  intro:
    'The server has no commune yet. Enter the commune, its hamlets, its teams and the first admin account. Everything is created at once; after that this link no longer works.',
  noToken: 'The link has no set-up code. Open the exact link printed when the server started.',
  commune: 'Commune',
  communeName: "The commune's official name",
  communeCode: 'Commune code (5 digits)',
  hamlets: 'Hamlets (thôn/ấp/tổ dân phố)',
  teams: 'Digital-technology teams',
  oneALine: 'One name a line; a pasted list is fine. Empty lines and repeated names are ignored.',
  admin: 'First admin',
  displayName: 'Display name',
  username: 'Username',
  usernameHint: '3–32 characters: lower-case letters without accents, digits, dot, dash, underscore.',
  password: 'Password (at least 8 characters)',
  passwordConfirm: 'Password again',
  submit: 'Create the commune and the admin account',
  saving: 'Creating…',
  fix: 'Correct the fields marked below.',
  failed: 'Could not send. Check the connection to the server and try again.',
  done: (name, code) => `${name} (code ${code}) is set up.`,
  counts: (h, t) => `${h} hamlets, ${t} teams.`,
  loginNow: (u) => `The admin account “${u}” is ready. Log in on the app's login screen.`,
  goLogin: 'Go to the login screen',
};

export const st: SetupMessages = lang === 'en' ? en : vi;
