// One error catalogue for both sides: a stable code, its HTTP status, and what to tell a person.
// The wire shape is `{ error: { code, message, details? } }` (sync-protocol.md).

export const ERRORS = {
  invalid_json: {
    status: 400,
    vi: 'Dữ liệu gửi lên không phải JSON hợp lệ.',
    en: 'The body is not valid JSON.',
  },
  invalid_request: { status: 400, vi: 'Yêu cầu không hợp lệ.', en: 'The request is invalid.' },
  invalid_record: {
    status: 400,
    vi: 'Bản ghi có trường không hợp lệ.',
    en: 'The record has invalid fields.',
  },
  unsupported_media_type: {
    status: 415,
    vi: 'Chỉ nhận dữ liệu JSON.',
    en: 'Only JSON bodies are accepted.',
  },
  bad_credentials: {
    status: 401,
    vi: 'Sai tên đăng nhập hoặc mật khẩu.',
    en: 'Wrong username or password.',
  },
  unauthorized: {
    status: 401,
    vi: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
    en: 'Your session has expired. Please log in again.',
  },
  forbidden: {
    status: 403,
    vi: 'Bạn không có quyền với dữ liệu này.',
    en: 'You are not allowed to access this data.',
  },
  not_found: { status: 404, vi: 'Không tìm thấy.', en: 'Not found.' },
  occurred_in_future: {
    status: 400,
    vi: 'Ngày hỗ trợ ở tương lai (sau ngày mai). Hãy kiểm tra ngày giờ của điện thoại rồi sửa lại ngày hỗ trợ.',
    en: 'The date of the help is in the future (after tomorrow). Check the phone’s date and time, then correct the date.',
  },
  id_conflict: {
    status: 409,
    vi: 'Mã bản ghi đã được dùng cho nội dung khác.',
    en: 'This record id is already used with different content.',
  },
  mutation_id_reused: {
    status: 409,
    vi: 'Mã thay đổi này đã được dùng cho một thay đổi khác, nên máy chủ không ghi. Bản ghi vẫn giữ trên máy; hãy báo cho quản trị.',
    en: 'This change id was already used for another change, so the server did not write it. The record stays on this device; tell the admin.',
  },
  base_version_ahead: {
    status: 409,
    vi: 'Phiên bản bản ghi trên máy chưa từng có trên máy chủ (máy chủ có thể vừa khôi phục bản sao lưu). Bản ghi vẫn giữ trên máy; hãy báo cho quản trị.',
    en: 'The record version on this device was never issued by the server (it may have been restored from a backup). The record stays on this device; tell the admin.',
  },
  payload_too_large: { status: 413, vi: 'Dữ liệu gửi lên quá lớn.', en: 'The request body is too large.' },
  schema_too_old: {
    status: 426,
    vi: 'Ứng dụng đã cũ. Vui lòng cập nhật ứng dụng rồi đồng bộ lại.',
    en: 'The app is too old. Please update it and sync again.',
  },
  schema_too_new: {
    status: 400,
    vi: 'Máy chủ chưa hỗ trợ phiên bản ứng dụng này.',
    en: 'The server does not support this app version yet.',
  },
  rate_limited: { status: 429, vi: 'Thử quá nhiều lần. Vui lòng đợi rồi thử lại.', en: 'Too many attempts.' },
  unavailable: {
    status: 503,
    vi: 'Máy chủ đang bận. Dữ liệu vẫn được giữ trên máy, sẽ gửi lại sau.',
    en: 'The server is busy. Your data stays on the device and will be sent later.',
  },
  internal: { status: 500, vi: 'Lỗi máy chủ.', en: 'Server error.' },
  // ---- accounts and devices (docs/operations.md) ----
  device_revoked: {
    status: 401,
    vi: 'Thiết bị này đã bị thu hồi quyền truy cập. Dữ liệu trên máy đã được xóa.',
    en: 'This device has been revoked. Its local data has been wiped.',
  },
  account_disabled: {
    status: 401,
    vi: 'Tài khoản này đã bị khóa. Dữ liệu trên máy đã được xóa.',
    en: 'This account has been disabled. Its local data has been wiped.',
  },
  enrolment_invalid: {
    status: 400,
    vi: 'Mã đăng ký thiết bị không hợp lệ. Vui lòng nhờ quản trị tạo mã mới.',
    en: 'This enrolment code is not valid. Ask the admin for a new one.',
  },
  enrolment_expired: {
    status: 410,
    vi: 'Mã đăng ký thiết bị đã hết hạn. Vui lòng nhờ quản trị tạo mã mới.',
    en: 'This enrolment code has expired. Ask the admin for a new one.',
  },
  enrolment_used: {
    status: 410,
    vi: 'Mã đăng ký thiết bị đã được dùng. Mỗi mã chỉ dùng một lần; vui lòng nhờ quản trị tạo mã mới.',
    en: 'This enrolment code has been used already. Ask the admin for a new one.',
  },
  username_taken: { status: 409, vi: 'Tên đăng nhập đã có người dùng.', en: 'This username is taken.' },
  // ---- first-run set-up and more communes (docs/operations.md) ----
  setup_pending: {
    status: 503,
    vi: 'Máy chủ chưa được thiết lập. Hãy mở đường dẫn thiết lập in ra khi khởi động máy chủ.',
    en: 'The server is not set up yet. Open the set-up link printed when the server started.',
  },
  setup_done: {
    status: 409,
    vi: 'Máy chủ đã được thiết lập rồi. Hãy đăng nhập bằng tài khoản quản trị.',
    en: 'The server is already set up. Log in with the admin account.',
  },
  setup_token_invalid: {
    status: 403,
    vi: 'Đường dẫn thiết lập không đúng hoặc đã dùng. Hãy dùng đường dẫn mới nhất in ra khi khởi động máy chủ.',
    en: 'The set-up link is wrong or used. Use the latest link printed when the server started.',
  },
  commune_exists: {
    status: 409,
    vi: 'Mã xã/phường này đã có trên máy chủ.',
    en: 'This commune code exists already.',
  },
  // ---- hand-off to the team lead without internet (docs/handoff.md) ----
  handoff_corrupt: {
    status: 400,
    vi: 'Tệp gửi cho tổ trưởng bị hỏng hoặc không đúng định dạng.',
    en: 'The hand-off file is damaged or not a hand-off file.',
  },
  handoff_truncated: {
    status: 400,
    vi: 'Tệp bị thiếu một phần (chưa nhận đủ). Hãy nhận lại tệp.',
    en: 'The hand-off file is incomplete. Receive it again.',
  },
  handoff_unsupported_version: {
    status: 400,
    vi: 'Tệp do phiên bản ứng dụng khác tạo ra. Hãy cập nhật ứng dụng.',
    en: 'The file was made by another app version. Update the app.',
  },
  handoff_tampered: {
    status: 400,
    vi: 'Chữ ký của tệp không khớp: tệp đã bị sửa đổi hoặc giả mạo.',
    en: 'The signature does not match: the file was altered or forged.',
  },
  handoff_unknown_device: {
    status: 400,
    vi: 'Tệp đến từ một máy chưa đăng ký với tổ. Hãy cập nhật danh sách máy khi có mạng.',
    en: 'The file comes from a device not registered with the team.',
  },
  handoff_revoked: {
    status: 403,
    vi: 'Máy tạo tệp này đã bị thu hồi quyền, không nhận dữ liệu từ máy đó.',
    en: 'The device that made this file has been revoked.',
  },
  handoff_wrong_commune: {
    status: 400,
    vi: 'Tệp này dành cho xã khác, không mở được ở đây.',
    en: 'This file is meant for another commune.',
  },
  handoff_replayed: {
    status: 409,
    vi: 'Tệp này đã được nhận trước đó.',
    en: 'This file was already received.',
  },
  handoff_other_team: {
    status: 403,
    vi: 'Tình nguyện viên gửi tệp không thuộc tổ của bạn.',
    en: 'The volunteer who sent this file is not in your team.',
  },
  handoff_no_key: {
    status: 400,
    vi: 'Máy này chưa có khóa của xã. Hãy đăng nhập lại khi có mạng.',
    en: 'This device has no commune key yet. Log in again while online.',
  },
  handoff_bad_receipt: {
    status: 400,
    vi: 'Biên nhận không hợp lệ hoặc không dành cho máy này.',
    en: 'The receipt is invalid or not meant for this device.',
  },
} as const satisfies Record<string, { status: number; vi: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** Field-level issue, as carried in `details.fields` of a 400 or a `rejected` result. */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(code: ErrorCode, details?: unknown, message?: string): ErrorBody {
  const body: ErrorBody = { error: { code, message: message ?? ERRORS[code].vi } };
  if (details !== undefined) body.error.details = details;
  return body;
}

export function statusOf(code: ErrorCode): number {
  return ERRORS[code].status;
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, code);
}

/** A failure with a catalogue code; thrown on the server and mapped to the error shape in one place. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, details?: unknown, message?: string) {
    super(message ?? ERRORS[code].en);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
}
