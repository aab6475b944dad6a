// The PIN that opens the volunteer's own copy of follow-up contacts (docs/privacy.md).
// Strings only its own lazily loaded screens use, kept out of the first load, whose
// bytes are budgeted (docs/performance.md). Same language rule as ./index.ts.
import { lang } from './index.ts';

export interface PinMessages {
  setupTitle: string;
  setupIntro: string;
  pin: string;
  pinAgain: string;
  setup: string;
  pinRequired: string;
  pinDigits: string;
  pinMismatch: string;
  lockedTitle: string;
  lockedIntro: string;
  unlock: string;
  checking: string;
  wrong: (triesLeft: number) => string;
  wiped: string;
  forgot: string;
  forgotConfirm: string;
  forgotYes: string;
  cancel: string;
  lockNow: string;
  unlockedNote: string;
  lockedCapture: string;
  contactTitle: string;
  loading: string;
  failed: string;
}

const vi: PinMessages = {
  setupTitle: 'Đặt mã PIN cho liên hệ',
  setupIntro:
    'Tên, số điện thoại và mã hồ sơ được giữ trên máy này, mã hoá bằng mã PIN của bạn, để bạn gọi lại người dân. Mã PIN gồm 4 đến 8 chữ số.',
  pin: 'Mã PIN',
  pinAgain: 'Nhập lại mã PIN',
  setup: 'Đặt mã PIN',
  pinRequired: 'Hãy nhập mã PIN.',
  pinDigits: 'Mã PIN gồm 4 đến 8 chữ số.',
  pinMismatch: 'Hai lần nhập mã PIN không khớp.',
  lockedTitle: 'Liên hệ đang khoá',
  lockedIntro: 'Nhập mã PIN để xem liên hệ.',
  unlock: 'Mở khoá',
  checking: 'Đang kiểm tra…',
  wrong: (n) =>
    `Mã PIN sai. Còn ${n} lần thử; sai 5 lần liên tiếp thì mọi liên hệ lưu trên máy này sẽ bị xoá.`,
  wiped:
    'Đã xoá mã PIN và mọi liên hệ lưu trên máy này. Các bản ghi vẫn còn và vẫn đồng bộ; liên hệ đã gửi vẫn được máy chủ giữ.',
  forgot: 'Quên mã PIN?',
  forgotConfirm:
    'Quên mã PIN thì phải xoá mọi liên hệ lưu trên máy này. Các bản ghi vẫn còn và vẫn đồng bộ. Xoá không?',
  forgotYes: 'Xoá liên hệ trên máy',
  cancel: 'Huỷ',
  lockNow: 'Khoá ngay',
  unlockedNote: 'Đã mở khoá. Máy tự khoá sau 5 phút không dùng.',
  lockedCapture:
    'Chưa mở khoá: bản ghi và liên hệ vẫn được lưu và gửi cho máy chủ, nhưng máy này sẽ không giữ bản để gọi lại.',
  contactTitle: 'Liên hệ theo dõi',
  loading: 'Đang tải…',
  failed: 'Có lỗi, chưa làm được. Hãy thử lại.',
};

const en: PinMessages = {
  setupTitle: 'Set a PIN for contacts',
  setupIntro:
    'Name, phone and dossier code are kept on this phone, encrypted with your PIN, so you can call the citizen back. The PIN has 4 to 8 digits.',
  pin: 'PIN',
  pinAgain: 'PIN again',
  setup: 'Set PIN',
  pinRequired: 'Enter a PIN.',
  pinDigits: 'The PIN has 4 to 8 digits.',
  pinMismatch: 'The two PINs do not match.',
  lockedTitle: 'Contacts are locked',
  lockedIntro: 'Enter your PIN to see contacts.',
  unlock: 'Unlock',
  checking: 'Checking…',
  wrong: (n) => `Wrong PIN. ${n} tries left; 5 wrong in a row erase every contact kept on this phone.`,
  wiped:
    'The PIN and every contact kept on this phone were erased. Records stay and still sync; contacts already sent are kept by the server.',
  forgot: 'Forgot PIN?',
  forgotConfirm:
    'A forgotten PIN means erasing every contact kept on this phone. Records stay and still sync. Erase?',
  forgotYes: 'Erase contacts on this phone',
  cancel: 'Cancel',
  lockNow: 'Lock now',
  unlockedNote: 'Unlocked. Locks itself after 5 minutes without use.',
  lockedCapture:
    'Locked: the record and contact are still saved and sent to the server, but this phone will not keep a copy to call back.',
  contactTitle: 'Follow-up contact',
  loading: 'Loading…',
  failed: 'Something went wrong. Please try again.',
};

export const tPin: PinMessages = lang === 'en' ? en : vi;
