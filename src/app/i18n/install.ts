// Installing the app, protecting its storage and the first-run onboarding.
// Strings only their lazily loaded screens use, kept out of the first load (its byte budget).
// Same language rule as ./index.ts.
import { lang } from './index.ts';

export interface InstallMessages {
  install: {
    title: string;
    intro: string;
    button: string;
    accepted: string;
    dismissed: string;
    iosStep1: string;
    iosStep2: string;
    iosStep3: string;
    iosFigure: string;
    manual: string;
  };
  protect: {
    ask: string;
    granted: string;
    refused: string;
    unsupported: string;
    adviceTitle: string;
    adviceInstall: string;
    adviceSync: string;
    adviceKeep: string;
  };
  onboarding: {
    label: string;
    step: (n: number, of: number) => string;
    pinTitle: string;
    pinIntro: string;
    pinLater: string;
    syncTitle: string;
    syncSaved: string;
    syncSent: string;
    syncOffline: string;
    syncHandoff: string;
    back: string;
    next: string;
    skip: string;
    start: string;
    reopen: string;
  };
}

const vi: InstallMessages = {
  install: {
    title: 'Cài vào màn hình chính',
    intro: 'Cài ứng dụng để mở nhanh như Zalo, dùng khi không có mạng và giữ dữ liệu an toàn hơn.',
    button: 'Cài ứng dụng',
    accepted: 'Đã cài. Lần sau hãy mở Sổ tay Tổ CNS từ màn hình chính.',
    dismissed: 'Chưa cài. Bạn có thể cài lại bất cứ lúc nào ở mục "Lưu trữ".',
    iosStep1: 'Trong Safari, bấm nút Chia sẻ (ô vuông có mũi tên lên).',
    iosStep2: 'Kéo xuống, chọn "Thêm vào MH chính".',
    iosStep3: 'Bấm "Thêm" ở góc trên bên phải.',
    iosFigure: 'Nút Chia sẻ của Safari',
    manual: 'Mở menu của trình duyệt (dấu ⋮) và chọn "Cài đặt ứng dụng" hoặc "Thêm vào màn hình chính".',
  },
  protect: {
    ask: 'Bảo vệ dữ liệu',
    granted: 'Đã bảo vệ: trình duyệt sẽ không tự xoá dữ liệu của ứng dụng.',
    refused: 'Trình duyệt chưa đồng ý giữ dữ liệu lâu dài.',
    unsupported: 'Trình duyệt này không cho phép giữ dữ liệu lâu dài.',
    adviceTitle: 'Để không mất bản ghi chưa gửi:',
    adviceInstall: 'Cài ứng dụng vào màn hình chính: khi đã cài, Chrome sẽ đồng ý giữ dữ liệu.',
    adviceSync: 'Đồng bộ thường xuyên, ít nhất mỗi ngày một lần khi có mạng.',
    adviceKeep: 'Không xoá dữ liệu duyệt web hay dữ liệu trang của ứng dụng này.',
  },
  onboarding: {
    label: 'Hướng dẫn bắt đầu',
    step: (n, of) => `Bước ${n}/${of}`,
    pinTitle: 'Đặt mã PIN trước người dân đầu tiên',
    pinIntro:
      'Khi ghi liên hệ theo dõi (tên, số điện thoại), bản sao trên máy được khoá bằng mã PIN của bạn. Hãy đặt mã PIN ngay bây giờ.',
    pinLater: 'Bạn cũng có thể đặt sau, khi mở mục "Liên hệ theo dõi" lúc ghi nhận.',
    syncTitle: 'Đồng bộ hoạt động thế nào',
    syncSaved: 'Bấm "Lưu" là bản ghi nằm ngay trên máy, kể cả khi không có mạng.',
    syncSent:
      'Khi có mạng, ứng dụng tự gửi bản ghi lên máy chủ; dòng trạng thái trên cùng cho biết còn bao nhiêu bản ghi chưa gửi.',
    syncOffline:
      'Không cần chờ có mạng để làm việc. Chỉ cần mở ứng dụng khi có mạng ít nhất mỗi ngày một lần.',
    syncHandoff: 'Ở nơi không có mạng nhiều ngày, bạn có thể giao bản ghi cho tổ trưởng qua mục "Giao nhận".',
    back: 'Quay lại',
    next: 'Tiếp theo',
    skip: 'Bỏ qua',
    start: 'Bắt đầu',
    reopen: 'Xem lại hướng dẫn bắt đầu',
  },
};

const en: InstallMessages = {
  install: {
    title: 'Add to Home Screen',
    intro: 'Install the app to open it quickly like Zalo, use it without a network and keep its data safer.',
    button: 'Install the app',
    accepted: 'Installed. Next time, open Sổ tay Tổ CNS from the home screen.',
    dismissed: 'Not installed. You can install it any time from "Storage".',
    iosStep1: 'In Safari, tap the Share button (the square with an arrow up).',
    iosStep2: 'Scroll down and choose "Add to Home Screen".',
    iosStep3: 'Tap "Add" in the top right corner.',
    iosFigure: 'Safari’s Share button',
    manual: 'Open the browser menu (⋮) and choose "Install app" or "Add to Home screen".',
  },
  protect: {
    ask: 'Protect the data',
    granted: 'Protected: the browser will not clear the app’s data by itself.',
    refused: 'The browser has not agreed to keep the data persistently.',
    unsupported: 'This browser does not allow keeping data persistently.',
    adviceTitle: 'So that unsent records are not lost:',
    adviceInstall: 'Add the app to the home screen: once installed, Chrome agrees to keep its data.',
    adviceSync: 'Sync often, at least once a day when there is a network.',
    adviceKeep: 'Do not clear the browsing data or this site’s data.',
  },
  onboarding: {
    label: 'Getting started',
    step: (n, of) => `Step ${n}/${of}`,
    pinTitle: 'Set a PIN before the first citizen',
    pinIntro:
      'When you note a follow-up contact (name, phone), the copy on this phone is locked with your PIN. Set your PIN now.',
    pinLater: 'You can also set it later, when you open "Follow-up contact" while capturing.',
    syncTitle: 'How sync works',
    syncSaved: 'Tap "Save" and the record is on this phone at once, even without a network.',
    syncSent:
      'With a network the app sends records to the server by itself; the status line at the top says how many are not sent yet.',
    syncOffline:
      'No need to wait for a network to work. Just open the app with a network at least once a day.',
    syncHandoff:
      'Where there is no network for days, you can hand records to your team lead under "Hand-off".',
    back: 'Back',
    next: 'Next',
    skip: 'Skip',
    start: 'Start',
    reopen: 'Show the getting-started guide again',
  },
};

export const tInstall: InstallMessages = lang === 'en' ? en : vi;
