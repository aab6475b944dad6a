// Hand-off to the team lead without internet (docs/handoff.md).
// Strings only its own lazily loaded screens use, kept out of the first load, whose
// bytes are budgeted (docs/performance.md). Same language rule as ./index.ts.
import { glossaryVi, lang, t } from './index.ts';

export interface HandoffMessages {
  title: string;
  intro: string;
  pending: (n: number) => string;
  handedOver: (n: number) => string;
  delivered: (n: number) => string;
  nothing: string;
  send: string;
  sending: string;
  shared: string;
  downloaded: string;
  showQr: string;
  hideQr: string;
  qrFrame: (i: number, n: number) => string;
  qrHelp: string;
  noKey: string;
  keyNotRegistered: string;
  receiptTitle: string;
  receiptHelp: string;
  scanReceipt: string;
  receiptFile: string;
  receiptApplied: (n: number) => string;
  leadTitle: string;
  prepare: string;
  preparing: string;
  prepared: (keys: number) => string;
  notPrepared: string;
  prepareFailed: string;
  importFile: string;
  scanBundle: string;
  scanProgress: (got: number, total: number) => string;
  imported: (name: string, count: number) => string;
  inboxTitle: string;
  inboxEmpty: string;
  bundleLine: (name: string, count: number, range: string) => string;
  noDates: string;
  statusQueued: string;
  statusSent: string;
  statusRefused: string;
  upload: string;
  uploading: string;
  uploadOffline: string;
  uploadFailed: string;
  showReceipt: string;
  receiptQrHelp: string;
  downloadReceipt: string;
  stopCamera: string;
  cameraUnavailable: string;
  failed: string;
}

const vi: HandoffMessages = {
  title: 'Gửi cho tổ trưởng',
  intro:
    'Không có mạng? Đóng gói các bản ghi chưa gửi thành một tệp đã mã hóa và ký, rồi gửi cho tổ trưởng qua Zalo, Bluetooth hoặc mã QR.',
  pending: (n) => `${n} thay đổi chưa gửi lên máy chủ`,
  handedOver: (n) => `${n} đã giao, chờ xác nhận`,
  delivered: (n) => `${n} tổ trưởng đã xác nhận nhận (chờ gửi)`,
  nothing: 'Không có bản ghi nào cần gửi.',
  send: 'Gửi cho tổ trưởng',
  sending: 'Đang đóng gói…',
  shared: 'Đã gửi tệp. Các bản ghi ở trạng thái “đã giao, chờ xác nhận”.',
  downloaded: 'Đã lưu tệp vào máy. Hãy gửi tệp này cho tổ trưởng.',
  showQr: 'Hiện mã QR',
  hideQr: 'Ẩn mã QR',
  qrFrame: (i, n) => `Mã ${i}/${n}`,
  qrHelp: 'Đưa màn hình cho tổ trưởng quét đến khi đủ tất cả các mã.',
  noKey: 'Máy này chưa có khóa của xã. Hãy đăng nhập lại khi có mạng.',
  keyNotRegistered: 'Khóa của máy chưa được đăng ký với máy chủ. Hãy mở ứng dụng khi có mạng một lần.',
  receiptTitle: 'Biên nhận của tổ trưởng',
  receiptHelp: 'Sau khi tổ trưởng đồng bộ, quét mã biên nhận trên máy tổ trưởng hoặc mở tệp biên nhận.',
  scanReceipt: 'Quét biên nhận',
  receiptFile: 'Mở tệp biên nhận',
  receiptApplied: (n) => `Đã xác nhận ${n} thay đổi được tổ trưởng gửi lên máy chủ.`,
  leadTitle: 'Nhận từ tình nguyện viên',
  prepare: 'Tải khóa của tổ (cần mạng)',
  preparing: 'Đang tải khóa…',
  prepared: (keys) => `Sẵn sàng nhận khi không có mạng (${keys} máy trong tổ).`,
  notPrepared: 'Chưa tải khóa: hãy bấm “Tải khóa của tổ” khi có mạng.',
  prepareFailed: 'Không tải được khóa. Hãy thử lại khi có mạng.',
  importFile: 'Mở tệp của tình nguyện viên',
  scanBundle: 'Quét mã QR của tình nguyện viên',
  scanProgress: (got, total) => `Đã đọc ${got}/${total} mã`,
  imported: (name, count) => `Đã nhận ${count} thay đổi của ${name}. Sẽ gửi lên máy chủ khi có mạng.`,
  inboxTitle: 'Tệp đã nhận',
  inboxEmpty: 'Chưa nhận tệp nào.',
  bundleLine: (name, count, range) => `${name}: ${count} thay đổi${range ? `, ${range}` : ''}`,
  noDates: 'không có ngày',
  statusQueued: glossaryVi.sync.to_post,
  statusSent: glossaryVi.sync.synced,
  statusRefused: glossaryVi.sync.error,
  upload: 'Gửi lên máy chủ',
  uploading: 'Đang gửi…',
  uploadOffline: 'Không có mạng. Tệp vẫn được giữ, sẽ gửi khi có mạng.',
  uploadFailed: 'Chưa gửi được. Tệp vẫn được giữ, hãy thử lại.',
  showReceipt: 'Hiện biên nhận',
  receiptQrHelp: 'Cho tình nguyện viên quét mã này để xác nhận đã giao.',
  downloadReceipt: 'Lưu tệp biên nhận',
  stopCamera: 'Tắt máy ảnh',
  cameraUnavailable: 'Không mở được máy ảnh. Hãy dùng tệp thay thế.',
  failed: 'Có lỗi, chưa làm được. Hãy thử lại.',
};

const en: HandoffMessages = {
  title: 'Send to the team lead',
  intro:
    'No internet? Pack the unsent records into one encrypted, signed file and give it to your team lead by Zalo, Bluetooth or QR codes.',
  pending: (n) => `${n} changes not sent to the server`,
  handedOver: (n) => `${n} handed over, awaiting confirmation`,
  delivered: (n) => `${n} confirmed by the lead (waiting for sync)`,
  nothing: 'Nothing to send.',
  send: 'Send to the team lead',
  sending: 'Packing…',
  shared: 'File sent. The records are “handed over, awaiting confirmation”.',
  downloaded: 'File saved on the device. Send it to your team lead.',
  showQr: 'Show QR codes',
  hideQr: 'Hide QR codes',
  qrFrame: (i, n) => `Code ${i}/${n}`,
  qrHelp: 'Let the lead scan the screen until every code is read.',
  noKey: 'This device has no commune key yet. Log in again while online.',
  keyNotRegistered: 'This device’s key is not registered yet. Open the app once while online.',
  receiptTitle: 'The lead’s receipt',
  receiptHelp: 'After the lead syncs, scan the receipt on the lead’s screen or open the receipt file.',
  scanReceipt: 'Scan receipt',
  receiptFile: 'Open receipt file',
  receiptApplied: (n) => `${n} changes confirmed as sent by the lead.`,
  leadTitle: 'Receive from volunteers',
  prepare: 'Fetch team keys (online)',
  preparing: 'Fetching keys…',
  prepared: (keys) => `Ready to receive offline (${keys} devices in the team).`,
  notPrepared: 'Keys not fetched: tap “Fetch team keys” while online.',
  prepareFailed: 'Could not fetch the keys. Try again while online.',
  importFile: 'Open a volunteer’s file',
  scanBundle: 'Scan a volunteer’s QR codes',
  scanProgress: (got, total) => `${got}/${total} codes read`,
  imported: (name, count) => `Received ${count} changes from ${name}. They go to the server when online.`,
  inboxTitle: 'Received files',
  inboxEmpty: 'No files received yet.',
  bundleLine: (name, count, range) => `${name}: ${count} changes${range ? `, ${range}` : ''}`,
  noDates: 'no dates',
  // The active catalogue's words: this block is used only when English is the active language.
  statusQueued: t.glossary.sync.to_post,
  statusSent: t.glossary.sync.synced,
  statusRefused: t.glossary.sync.error,
  upload: 'Send to the server',
  uploading: 'Sending…',
  uploadOffline: 'No internet. The files are kept and sent when online.',
  uploadFailed: 'Not sent yet. The files are kept; try again.',
  showReceipt: 'Show receipt',
  receiptQrHelp: 'Let the volunteer scan this code to confirm the hand-off.',
  downloadReceipt: 'Save receipt file',
  stopCamera: 'Stop camera',
  cameraUnavailable: 'The camera could not be opened. Use a file instead.',
  failed: 'Something went wrong. Please try again.',
};

export const tHandoff: HandoffMessages = lang === 'en' ? en : vi;
