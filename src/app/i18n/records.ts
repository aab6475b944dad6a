// The records place's follow-ups ("Cần gọi lại") and the lead's review queue ("Duyệt"): strings
// only its lazily loaded screens use, kept out of the first load (its byte budget). Same
// language rule as ./index.ts.
import { lang } from './index.ts';

export interface RecordsMessages {
  /** The segmented choice above the list: every record, or the follow-ups to call back. */
  viewLegend: string;
  viewAll: string;
  viewCallback: string;
  followUpOn: (day: string) => string;
  callbackDue: string;
  callbackLater: string;
  callbackNoDate: string;
  callbackEmpty: string;
  filterReview: string;
  unreviewed: string;
  queueEmpty: string;
  loggedBy: string;
  unknownMember: string;
  next: string;
  noNext: string;
  opening: string;
}

const vi: RecordsMessages = {
  viewLegend: 'Hiển thị',
  viewAll: 'Tất cả',
  viewCallback: 'Cần gọi lại',
  followUpOn: (day) => `Hẹn gọi lại: ${day}`,
  callbackDue: 'Đến hạn và quá hạn',
  callbackLater: 'Sắp tới',
  callbackNoDate: 'Chưa hẹn ngày',
  callbackEmpty: 'Không có bản ghi nào cần gọi lại.',
  filterReview: 'Tình trạng duyệt',
  unreviewed: 'Chưa duyệt',
  queueEmpty: 'Không còn bản ghi nào chờ duyệt.',
  loggedBy: 'Người ghi',
  unknownMember: 'Không rõ người ghi',
  next: 'Duyệt bản ghi tiếp theo',
  noNext: 'Không còn bản ghi nào chờ duyệt.',
  opening: 'Đang mở…',
};

const en: RecordsMessages = {
  viewLegend: 'Show',
  viewAll: 'All',
  viewCallback: 'To call back',
  followUpOn: (day) => `Call back on: ${day}`,
  callbackDue: 'Due and overdue',
  callbackLater: 'Coming up',
  callbackNoDate: 'No date set',
  callbackEmpty: 'No record needs a call back.',
  filterReview: 'Review state',
  unreviewed: 'Not reviewed',
  queueEmpty: 'No record is waiting for review.',
  loggedBy: 'Logged by',
  unknownMember: 'Unknown volunteer',
  next: 'Review the next record',
  noNext: 'No record is waiting for review.',
  opening: 'Opening…',
};

export const tRecords: RecordsMessages = lang === 'en' ? en : vi;
