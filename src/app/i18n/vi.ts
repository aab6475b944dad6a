// Every Vietnamese string the PWA shows. Labels of catalogue codes live in src/shared/catalogue;
// field messages from validation come from src/shared/record.ts.
import type { Messages } from './messages.ts';

export const vi: Messages = {
  appName: 'Sổ tay Tổ CNS',
  loading: 'Đang mở…',
  login: {
    title: 'Đăng nhập',
    intro: 'Đăng nhập một lần khi có mạng; sau đó ứng dụng dùng được cả khi không có mạng.',
    username: 'Tên đăng nhập',
    password: 'Mật khẩu',
    submit: 'Đăng nhập',
    busy: 'Đang đăng nhập…',
    badCredentials: 'Sai tên đăng nhập hoặc mật khẩu.',
    offline: 'Máy đang ngoại tuyến. Cần có mạng để đăng nhập.',
    unreachable: 'Không kết nối được máy chủ',
    missing: 'Vui lòng nhập tên đăng nhập và mật khẩu.',
    back: 'Quay lại',
    otherUserPending:
      'Máy này còn bản ghi chưa đồng bộ của tài khoản khác. Hãy đăng nhập lại bằng tài khoản đó và đồng bộ trước.',
    relogin: 'Phiên đăng nhập hết hạn. Dữ liệu trên máy vẫn được giữ; đăng nhập lại để đồng bộ tiếp.',
  },
  nav: {
    label: 'Chức năng',
    capture: 'Ghi nhận',
    records: 'Bản ghi của tôi',
  },
  status: {
    syncing: 'đang đồng bộ',
    synced: 'đã đồng bộ',
    pending: (n) => `${n} bản ghi chờ đồng bộ`,
    offline: 'Ngoại tuyến',
    expired: 'Phiên đăng nhập hết hạn, vui lòng đăng nhập lại',
    relogin: 'Đăng nhập lại',
    syncNow: 'Đồng bộ',
    logout: 'Đăng xuất',
    logoutRefused: (n) =>
      `Chưa thể đăng xuất: còn ${n} bản ghi chưa đồng bộ. Hãy kết nối mạng và đồng bộ trước, nếu không các bản ghi này sẽ mất.`,
  },
  capture: {
    title: 'Ghi nhận hỗ trợ',
    category: 'Loại hỗ trợ',
    hamlet: 'Thôn/ấp',
    hamletPlaceholder: '— Chọn thôn/ấp —',
    outcome: 'Kết quả',
    service: 'Dịch vụ công',
    servicePlaceholder: '— Chọn dịch vụ công —',
    failReason: 'Lý do không thành công',
    failReasonPlaceholder: '— Chọn lý do —',
    more: 'Thông tin thêm',
    occurredOn: 'Ngày hỗ trợ',
    place: 'Nơi hỗ trợ',
    paidOnline: 'Đã thanh toán trực tuyến',
    ageBand: 'Nhóm tuổi',
    sex: 'Giới tính',
    followUpOn: 'Ngày hẹn theo dõi',
    note: 'Ghi chú',
    noteHint: 'Không ghi thông tin cá nhân: không họ tên, không số định danh/căn cước, không số điện thoại.',
    notePersonal: 'Ghi chú có vẻ chứa số định danh hoặc số điện thoại. Vui lòng xoá thông tin cá nhân.',
    unset: '— Không ghi —',
    save: 'Lưu',
    saving: 'Đang lưu…',
    saved: 'Đã lưu',
    fixFields: 'Vui lòng sửa các ô được đánh dấu.',
    noHamlets: 'Xã chưa có danh sách thôn/ấp. Hãy nhờ quản trị xã thêm rồi đăng nhập lại.',
  },
  records: {
    title: 'Bản ghi của tôi',
    empty: 'Chưa có bản ghi nào.',
    loading: 'Đang tải…',
    shown: (n) => `${n} bản ghi gần nhất`,
  },
  syncState: {
    to_post: 'Chờ gửi',
    to_update: 'Chờ gửi bản sửa',
    uploading: 'Đang gửi',
    synced: 'Đã đồng bộ',
    error: (reason) => `Lỗi: ${reason}`,
  },
  sync: {
    unknownError: 'Máy chủ không nhận bản ghi này.',
  },
  storage: {
    quota:
      'Bộ nhớ của máy đã đầy, chưa lưu được. Hãy xoá bớt ảnh/ứng dụng rồi bấm Lưu lại; nội dung vẫn còn trên màn hình.',
    failed: 'Không lưu được vào bộ nhớ của máy. Nội dung vẫn còn trên màn hình; hãy thử lại.',
    unavailable:
      'Trình duyệt không cho dùng bộ nhớ trên máy (có thể đang ở chế độ ẩn danh). Hãy mở ứng dụng ở cửa sổ thường.',
  },
  update: {
    available: 'Có phiên bản mới',
    apply: 'Cập nhật',
    offlineReady: 'Ứng dụng đã sẵn sàng dùng khi không có mạng',
    dismiss: 'Đóng',
  },
};
