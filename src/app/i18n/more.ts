// Strings of the "Thêm" place (sync now, log out, language, version, the places behind it), kept
// out of the first load like the screen itself (its byte budget). Same language rule as ./index.ts.
import { lang } from './index.ts';

export interface MoreMessages {
  title: string;
  places: string;
  sync: string;
  neverSynced: string;
  account: (name: string) => string;
  version: (v: string) => string;
}

const vi: MoreMessages = {
  title: 'Thêm',
  places: 'Chức năng khác',
  sync: 'Đồng bộ',
  neverSynced: 'Chưa có lần đồng bộ nào trên máy này.',
  account: (name) => `Đang đăng nhập: ${name}`,
  version: (v) => `Phiên bản ${v}`,
};

const en: MoreMessages = {
  title: 'More',
  places: 'Other places',
  sync: 'Sync',
  neverSynced: 'This phone has never synced.',
  account: (name) => `Signed in as ${name}`,
  version: (v) => `Version ${v}`,
};

export const tm: MoreMessages = lang === 'en' ? en : vi;
