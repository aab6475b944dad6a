// Strings of the status line's warnings and the home warning: shown only when something needs the
// user, so loaded with their component, out of the first load (its byte budget).
import { lang } from './index.ts';

export interface WarningMessages {
  refused: (n: number) => string;
  stale: (n: number) => string;
  storageRisk: string;
  homeStale: string;
  homeStorage: string;
  openStorage: string;
}

const vi: WarningMessages = {
  refused: (n) => `Máy chủ không nhận ${n} bản ghi`,
  stale: (n) => `${n} bản ghi chờ gửi quá một ngày`,
  storageRisk: 'Dữ liệu trên máy chưa được bảo vệ',
  homeStale: 'Có bản ghi chờ gửi quá một ngày. Hãy kết nối mạng để đồng bộ, hoặc giao bản ghi cho tổ trưởng.',
  homeStorage: 'Trình duyệt có thể xoá dữ liệu trên máy khi điện thoại đầy bộ nhớ.',
  openStorage: 'Bảo vệ dữ liệu',
};

const en: WarningMessages = {
  refused: (n) => `The server refused ${n} record(s)`,
  stale: (n) => `${n} record(s) waiting over a day`,
  storageRisk: 'Data on this phone is not protected',
  homeStale:
    'Some records have waited over a day. Connect to a network to sync, or hand them to your team lead.',
  homeStorage: 'The browser may delete the data on this phone when its storage is full.',
  openStorage: 'Protect the data',
};

export const tw: WarningMessages = lang === 'en' ? en : vi;
