// Strings of the status line's warnings and the home warning: shown only when something needs the
// user, so loaded with their component, out of the first load (its byte budget).
import { lang } from './index.ts';

export interface WarningMessages {
  refused: (n: number) => string;
  /** The button under a refusal: to the records, or to the group sessions when only those were refused. */
  showRefusedSessions: string;
  stale: (n: number) => string;
  storageRisk: string;
  homeStale: string;
  homeStorage: string;
  openStorage: string;
}

const vi: WarningMessages = {
  refused: (n) => `Máy chủ không nhận ${n} mục`,
  showRefusedSessions: 'Xem buổi sinh hoạt nhóm máy chủ không nhận',
  stale: (n) => `${n} mục chờ gửi quá một ngày`,
  storageRisk: 'Dữ liệu trên máy chưa được bảo vệ',
  homeStale:
    'Có bản ghi hoặc buổi sinh hoạt nhóm chờ gửi quá một ngày. Hãy kết nối mạng để đồng bộ, hoặc giao cho tổ trưởng.',
  homeStorage: 'Trình duyệt có thể xoá dữ liệu trên máy khi điện thoại đầy bộ nhớ.',
  openStorage: 'Bảo vệ dữ liệu',
};

const en: WarningMessages = {
  refused: (n) => `The server did not accept ${n} item(s)`,
  showRefusedSessions: 'Show group sessions the server did not accept',
  stale: (n) => `${n} item(s) waiting over a day`,
  storageRisk: 'Data on this phone is not protected',
  homeStale:
    'Some records or group sessions have waited over a day. Connect to a network to sync, or hand them to your team lead.',
  homeStorage: 'The browser may delete the data on this phone when its storage is full.',
  openStorage: 'Protect the data',
};

export const tw: WarningMessages = lang === 'en' ? en : vi;
