// The lead's "Xung đột" screen (state/conflicts.svelte.ts, state/conflict-view.ts).
// Strings only its own lazily loaded screen uses, kept out of the first load, whose
// bytes are budgeted (docs/performance.md). Same language rule as ./index.ts; the loading and failure lines stay in the catalogue
// (the shell shows them before this chunk arrives).
import { lang } from './index.ts';

export interface ConflictsMessages {
  title: string;
  intro: string;
  empty: string;
  kept: string;
  lost: string;
  offline: string;
  unsupported: string;
  retry: string;
  emptyValue: string;
  yes: string;
  no: string;
  unknownRecord: string;
  unknownAuthor: string;
  you: string;
  roles: Record<string, string>;
}

const vi: ConflictsMessages = {
  title: 'Xung đột',
  intro: 'Những ô có hai người sửa cùng lúc: giá trị được giữ và giá trị bị thay.',
  empty: 'Không có xung đột nào.',
  kept: 'Được giữ',
  lost: 'Bị thay',
  offline: 'Cần có mạng để xem xung đột.',
  unsupported: 'Máy chủ chưa hỗ trợ xem xung đột.',
  retry: 'Tải lại',
  emptyValue: '(để trống)',
  yes: 'Có',
  no: 'Không',
  unknownRecord: 'Bản ghi',
  unknownAuthor: '(không rõ)',
  you: '(bạn)',
  roles: {
    volunteer: 'Tình nguyện viên',
    lead: 'Tổ trưởng',
    supervisor: 'Giám sát',
    admin: 'Quản trị',
  },
};

const en: ConflictsMessages = {
  title: 'Conflicts',
  intro: 'Fields two people changed at the same time: the value kept and the value replaced.',
  empty: 'No conflicts.',
  kept: 'Kept',
  lost: 'Replaced',
  offline: 'Viewing conflicts needs a connection.',
  unsupported: 'The server cannot show conflicts yet.',
  retry: 'Reload',
  emptyValue: '(empty)',
  yes: 'Yes',
  no: 'No',
  unknownRecord: 'Record',
  unknownAuthor: '(unknown)',
  you: '(you)',
  roles: {
    volunteer: 'Volunteer',
    lead: 'Team lead',
    supervisor: 'Supervisor',
    admin: 'Admin',
  },
};

export const tConflicts: ConflictsMessages = lang === 'en' ? en : vi;
