// The admin's data-subject requests screen (docs/privacy.md).
// Strings only its own lazily loaded screens use, kept out of the first load, whose
// bytes are budgeted (docs/performance.md). Same language rule as ./index.ts.
import { lang } from './index.ts';

export interface SubjectsMessages {
  title: string;
  intro: string;
  idRequired: string;
  find: string;
  exportJson: string;
  exportCsv: string;
  erase: string;
  confirmErase: string;
  found: (n: number) => string;
  erased: (n: number) => string;
  deleted: string;
  kept: string;
  columns: { day: string; hamlet: string; category: string; outcome: string; state: string };
  offline: string;
  expired: string;
  forbidden: string;
  failed: string;
}

const vi: SubjectsMessages = {
  title: 'Yêu cầu của người dân về dữ liệu cá nhân',
  intro:
    'Nhập số định danh của người yêu cầu để tìm, xuất hoặc xoá mọi bản ghi liên quan (trả lời trong 2 ngày làm việc). Số này không được lưu.',
  idRequired: 'Vui lòng nhập số định danh cá nhân.',
  find: 'Tìm',
  exportJson: 'Xuất JSON',
  exportCsv: 'Xuất CSV',
  erase: 'Xoá dữ liệu',
  confirmErase: 'Bấm lần nữa để xoá vĩnh viễn',
  found: (n) => `Tìm thấy ${n} bản ghi.`,
  erased: (n) => `Đã xoá ${n} bản ghi; các máy sẽ xoá theo khi đồng bộ.`,
  deleted: 'Đã xoá',
  kept: 'Đang lưu',
  columns: {
    day: 'Ngày hỗ trợ',
    hamlet: 'Thôn/ấp',
    category: 'Loại hỗ trợ',
    outcome: 'Kết quả',
    state: 'Tình trạng',
  },
  offline: 'Cần có mạng để thực hiện yêu cầu.',
  expired: 'Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.',
  forbidden: 'Chỉ quản trị xã được thực hiện yêu cầu này.',
  failed: 'Chưa thực hiện được yêu cầu. Hãy thử lại.',
};

const en: SubjectsMessages = {
  title: 'Citizens’ requests about their personal data',
  intro:
    'Type the requester’s ID number to find, export or erase every linked record (answer within 2 working days). The number is not stored.',
  idRequired: 'Please type the personal ID number.',
  find: 'Find',
  exportJson: 'Export JSON',
  exportCsv: 'Export CSV',
  erase: 'Erase data',
  confirmErase: 'Tap again to erase for good',
  found: (n) => `${n} records found.`,
  erased: (n) => `${n} records erased; phones delete them at their next sync.`,
  deleted: 'Deleted',
  kept: 'Kept',
  columns: { day: 'Date', hamlet: 'Hamlet', category: 'Assistance', outcome: 'Outcome', state: 'Status' },
  offline: 'This needs a network connection.',
  expired: 'Your session has expired. Please log in again.',
  forbidden: 'Only the commune admin may do this.',
  failed: 'The request failed. Please try again.',
};

export const tSubjects: SubjectsMessages = lang === 'en' ? en : vi;
