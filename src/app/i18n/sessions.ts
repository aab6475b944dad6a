// The group sessions' screens (docs/group-sessions.md): strings only the lazy sessions screen, its
// form, the lead's review and the admin's topic editor use, kept out of the first load. The field
// messages themselves come from the shared contract (sessionFieldMessageVi).
import { lang } from './index.ts';

export interface SessionsMessages {
  title: string;
  intro: string;
  teamIntro: string;
  loading: string;
  empty: string;
  add: string;
  attendees: (n: number) => string;
  by: (name: string) => string;
  newTitle: string;
  editTitle: string;
  heldOn: string;
  hamlet: string;
  chooseHamlet: string;
  place: string;
  placeHint: string;
  topic: string;
  chooseTopic: string;
  attendance: string;
  attendanceHint: string;
  less: (cell: string) => string;
  more: (cell: string) => string;
  total: (n: number) => string;
  facilitators: string;
  facilitatorsHint: string;
  teamMembers: string;
  addName: string;
  addNameButton: string;
  removeName: (name: string) => string;
  note: string;
  noteHint: string;
  save: string;
  saving: string;
  saved: string;
  cancel: string;
  fixFirst: string;
  delete: string;
  deleteConfirm: string;
  deleteYes: string;
  deleteNo: string;
  deleted: string;
  back: string;
  review: string;
  reviewTitle: string;
  approve: string;
  needsFix: string;
  comment: string;
  commentNeeded: string;
  sendReview: string;
  reviewSent: string;
  reviewOffline: string;
  reviewFailed: string;
  reviewForbidden: string;
  reviewNotFound: string;
  reviewExpired: string;
  reviewUnreachable: string;
  reviewInvalid: string;
  topicsTitle: string;
  topicsIntro: string;
  topicLabel: string;
  retired: string;
  retire: string;
  reactivate: string;
  newTopic: string;
  addTopic: string;
  saveTopics: string;
  topicsSaved: string;
  topicsOffline: string;
  topicsFailed: string;
  topicEmpty: string;
  topicTooLong: string;
  topicDuplicate: string;
  topicDropped: (code: string) => string;
  topicsTooMany: (n: number) => string;
}

const vi: SessionsMessages = {
  title: 'Buổi sinh hoạt nhóm',
  intro: 'Các buổi bạn đã ghi, mới nhất trước. Không ghi tên người tham dự, chỉ ghi số người.',
  teamIntro: 'Các buổi của tổ đã về máy này, mới nhất trước. Chạm một buổi để xem và duyệt.',
  loading: 'Đang mở…',
  empty: 'Chưa có buổi nào.',
  add: 'Ghi buổi mới',
  attendees: (n) => `${n} người`,
  by: (name) => `Người ghi: ${name}`,
  newTitle: 'Ghi buổi sinh hoạt nhóm',
  editTitle: 'Sửa buổi sinh hoạt nhóm',
  heldOn: 'Ngày tổ chức',
  hamlet: 'Thôn/ấp',
  chooseHamlet: 'Chọn thôn/ấp',
  place: 'Địa điểm',
  placeHint: 'Ví dụ: Nhà văn hóa thôn 3',
  topic: 'Chủ đề',
  chooseTopic: 'Chọn chủ đề',
  attendance: 'Số người tham dự',
  attendanceHint: 'Đếm theo giới tính và độ tuổi; không ghi tên ai.',
  less: (cell) => `Bớt một: ${cell}`,
  more: (cell) => `Thêm một: ${cell}`,
  total: (n) => `Tổng cộng: ${n} người`,
  facilitators: 'Người hướng dẫn',
  facilitatorsHint: 'Cán bộ, tình nguyện viên đứng lớp; không ghi người dân.',
  teamMembers: 'Thành viên tổ',
  addName: 'Thêm người hướng dẫn',
  addNameButton: 'Thêm',
  removeName: (name) => `Bỏ ${name}`,
  note: 'Ghi chú',
  noteHint: 'Không bắt buộc. Không ghi số định danh.',
  save: 'Lưu buổi',
  saving: 'Đang lưu…',
  saved: 'Đã lưu buổi sinh hoạt. Sẽ gửi khi có mạng.',
  cancel: 'Hủy',
  fixFirst: 'Hãy sửa các ô có lỗi rồi bấm Lưu lại; nội dung vẫn còn trên màn hình.',
  delete: 'Xoá buổi này',
  deleteConfirm: 'Xoá buổi sinh hoạt này? Việc xoá sẽ được gửi lên máy chủ.',
  deleteYes: 'Xoá',
  deleteNo: 'Không xoá',
  deleted: 'Đã xoá buổi sinh hoạt.',
  back: 'Danh sách buổi',
  review: 'Duyệt',
  reviewTitle: 'Duyệt buổi sinh hoạt',
  approve: 'Đã duyệt',
  needsFix: 'Cần sửa',
  comment: 'Nhận xét',
  commentNeeded: 'Hãy ghi cần sửa gì.',
  sendReview: 'Gửi kết quả duyệt',
  reviewSent: 'Đã gửi kết quả duyệt.',
  reviewOffline: 'Cần có mạng để duyệt buổi sinh hoạt. Hãy thử lại khi có mạng.',
  reviewFailed: 'Chưa gửi được kết quả duyệt. Hãy thử lại.',
  reviewForbidden: 'Bạn không có quyền duyệt buổi này.',
  reviewNotFound: 'Buổi này chưa có hoặc không còn trên máy chủ (có thể chưa được gửi lên).',
  reviewExpired: 'Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại rồi duyệt.',
  reviewUnreachable: 'Không kết nối được máy chủ. Chưa gửi được kết quả duyệt, hãy thử lại.',
  reviewInvalid:
    'Máy chủ trả lời không đúng dạng (có thể mạng Wi-Fi cần đăng nhập). Chưa gửi được, hãy thử lại.',
  topicsTitle: 'Chủ đề sinh hoạt nhóm',
  topicsIntro:
    'Đổi tên, ngừng dùng hoặc thêm chủ đề. Chủ đề đã có không xoá được: ngừng dùng thì các buổi đã ghi vẫn giữ.',
  topicLabel: 'Tên chủ đề',
  retired: 'Ngừng dùng',
  retire: 'Ngừng dùng',
  reactivate: 'Dùng lại',
  newTopic: 'Chủ đề mới',
  addTopic: 'Thêm chủ đề',
  saveTopics: 'Lưu danh sách chủ đề',
  topicsSaved: 'Đã lưu danh sách. Điện thoại của các tổ nhận ở lần đồng bộ tới.',
  topicsOffline: 'Cần có mạng để lưu danh sách chủ đề.',
  topicsFailed: 'Chưa lưu được danh sách chủ đề. Hãy thử lại.',
  topicEmpty: 'Hãy nhập tên chủ đề.',
  topicTooLong: 'Tên chủ đề dài quá 80 ký tự.',
  topicDuplicate: 'Đã có chủ đề cùng tên này.',
  topicDropped: (code) => `Không được bỏ chủ đề "${code}" đã có; hãy chọn Ngừng dùng.`,
  topicsTooMany: (n) => `Danh sách tối đa ${n} chủ đề.`,
};

const en: SessionsMessages = {
  title: 'Group sessions',
  intro: 'The sessions you logged, newest first. No attendee is named, only counted.',
  teamIntro: 'The team’s sessions on this phone, newest first. Tap one to see and review it.',
  loading: 'Opening…',
  empty: 'No session yet.',
  add: 'Log a new session',
  attendees: (n) => `${n} people`,
  by: (name) => `Logged by: ${name}`,
  newTitle: 'Log a group session',
  editTitle: 'Edit a group session',
  heldOn: 'Date held',
  hamlet: 'Hamlet',
  chooseHamlet: 'Choose a hamlet',
  place: 'Place',
  placeHint: 'E.g. Hamlet 3 community hall',
  topic: 'Topic',
  chooseTopic: 'Choose a topic',
  attendance: 'Attendees',
  attendanceHint: 'Counted by sex and age band; nobody is named.',
  less: (cell) => `One fewer: ${cell}`,
  more: (cell) => `One more: ${cell}`,
  total: (n) => `Total: ${n} people`,
  facilitators: 'Facilitators',
  facilitatorsHint: 'Staff and volunteers who ran it; never citizens.',
  teamMembers: 'Team members',
  addName: 'Add a facilitator',
  addNameButton: 'Add',
  removeName: (name) => `Remove ${name}`,
  note: 'Note',
  noteHint: 'Optional. Never an ID number.',
  save: 'Save session',
  saving: 'Saving…',
  saved: 'Session saved. It is sent when online.',
  cancel: 'Cancel',
  fixFirst: 'Fix the fields marked in error and save again; nothing typed is lost.',
  delete: 'Delete this session',
  deleteConfirm: 'Delete this group session? The deletion is sent to the server.',
  deleteYes: 'Delete',
  deleteNo: 'Keep it',
  deleted: 'Session deleted.',
  back: 'All sessions',
  review: 'Review',
  reviewTitle: 'Review the session',
  approve: 'Approved',
  needsFix: 'Needs fixing',
  comment: 'Comment',
  commentNeeded: 'Say what needs fixing.',
  sendReview: 'Send review',
  reviewSent: 'Review sent.',
  reviewOffline: 'Reviewing a session needs the network. Try again when online.',
  reviewFailed: 'The review was not sent. Please try again.',
  reviewForbidden: 'You may not review this session.',
  reviewNotFound: 'The server does not hold this session (it may not be sent yet).',
  reviewExpired: 'Your login expired. Log in again, then review.',
  reviewUnreachable: 'The server cannot be reached. The review was not sent; try again.',
  reviewInvalid: 'The server answered in the wrong form (the Wi-Fi may need a login). Try again.',
  topicsTitle: 'Group session topics',
  topicsIntro:
    'Rename, retire or add topics. An existing topic cannot be removed: retired, the sessions logged keep it.',
  topicLabel: 'Topic name',
  retired: 'Retired',
  retire: 'Retire',
  reactivate: 'Use again',
  newTopic: 'New topic',
  addTopic: 'Add topic',
  saveTopics: 'Save the topic list',
  topicsSaved: 'List saved. Team phones get it at their next sync.',
  topicsOffline: 'Saving the topic list needs the network.',
  topicsFailed: 'The topic list was not saved. Please try again.',
  topicEmpty: 'Enter the topic’s name.',
  topicTooLong: 'The topic’s name is longer than 80 characters.',
  topicDuplicate: 'A topic of this name exists already.',
  topicDropped: (code) => `Topic "${code}" exists and cannot be removed; retire it instead.`,
  topicsTooMany: (n) => `At most ${n} topics.`,
};

export const tSessions: SessionsMessages = lang === 'en' ? en : vi;
