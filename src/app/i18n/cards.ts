// The how-to cards' screens (docs/cards.md): strings only the lazy cards screen and the admin's
// editor use, kept out of the first load (its byte budget). The cards themselves are Vietnamese.
import { lang } from './index.ts';

export interface CardsMessages {
  title: string;
  intro: string;
  search: string;
  matches: (n: number) => string;
  loading: string;
  edition: (n: number, day: string) => string;
  source: string;
  short: string;
  shortBadge: string;
  back: string;
  fee: string;
  payOnline: string;
  basis: string;
  fromCapture: (service: string) => string;
  edit: string;
  editTitle: (card: string) => string;
  editIntro: string;
  fieldTitle: string;
  fieldShort: string;
  fieldFee: string;
  fieldPay: string;
  fieldBasis: string;
  fieldSource: string;
  publish: string;
  publishing: string;
  published: (n: number, day: string) => string;
  fixFirst: string;
  cancel: string;
  offline: string;
  failed: string;
}

const vi: CardsMessages = {
  title: 'Hướng dẫn thủ tục',
  intro: 'Các bước, giấy tờ, lệ phí và nơi làm thủ tục; dùng được cả khi không có mạng.',
  search: 'Tìm hướng dẫn (gõ không dấu cũng được)',
  matches: (n) => (n === 0 ? 'Không có thẻ nào khớp.' : `${n} thẻ`),
  loading: 'Đang mở hướng dẫn…',
  edition: (n, day) => `Ấn bản ${n} · phát hành ngày ${day}`,
  source: 'Nguồn',
  short: 'Thẻ rút gọn: chưa viết đủ chi tiết, hãy xem thêm trên Cổng DVC.',
  shortBadge: 'rút gọn',
  back: 'Tất cả hướng dẫn',
  fee: 'Lệ phí',
  payOnline: 'Thanh toán',
  basis: 'Căn cứ',
  fromCapture: (service) => `Xem hướng dẫn: ${service}`,
  edit: 'Sửa thẻ này',
  editTitle: (card) => `Sửa thẻ: ${card}`,
  editIntro:
    'Viết chữ thường. Mỗi bước một dòng "1.", "2."…; mỗi ý một dòng bắt đầu bằng "-"; để một dòng trống giữa các đoạn. Không dùng thẻ HTML.',
  fieldTitle: 'Tên thẻ',
  fieldShort: 'Thẻ rút gọn (chưa viết đủ)',
  fieldFee: 'Lệ phí',
  fieldPay: 'Thanh toán trực tuyến',
  fieldBasis: 'Căn cứ pháp lý (chỉ ghi khi chắc chắn)',
  fieldSource: 'Nguồn của ấn bản',
  publish: 'Phát hành ấn bản mới',
  publishing: 'Đang phát hành…',
  published: (n, day) =>
    `Đã phát hành ấn bản ${n} ngày ${day}. Điện thoại của các tổ nhận ở lần đồng bộ tới.`,
  fixFirst: 'Hãy sửa các ô có lỗi trước khi phát hành.',
  cancel: 'Hủy',
  offline: 'Cần có mạng để phát hành ấn bản mới.',
  failed: 'Chưa phát hành được. Hãy thử lại.',
};

const en: CardsMessages = {
  title: 'How-to guides',
  intro: 'Steps, papers, fees and where to go; available offline.',
  search: 'Search guides (diacritics optional)',
  matches: (n) => (n === 0 ? 'No card matches.' : `${n} cards`),
  loading: 'Opening the guides…',
  edition: (n, day) => `Edition ${n} · published ${day}`,
  source: 'Source',
  short: 'Short card: not written in full yet; see the national portal too.',
  shortBadge: 'short',
  back: 'All guides',
  fee: 'Fee',
  payOnline: 'Payment',
  basis: 'Legal basis',
  fromCapture: (service) => `Guide: ${service}`,
  edit: 'Edit this card',
  editTitle: (card) => `Edit card: ${card}`,
  editIntro:
    'Plain text. One step per line "1.", "2."…; one point per line starting with "-"; a blank line between paragraphs. No HTML tags.',
  fieldTitle: 'Card title',
  fieldShort: 'Short card (not written in full)',
  fieldFee: 'Fee',
  fieldPay: 'Online payment',
  fieldBasis: 'Legal basis (only when sure)',
  fieldSource: 'Source of the edition',
  publish: 'Publish a new edition',
  publishing: 'Publishing…',
  published: (n, day) => `Edition ${n} published on ${day}. Team phones get it at their next sync.`,
  fixFirst: 'Fix the fields marked in error before publishing.',
  cancel: 'Cancel',
  offline: 'Publishing a new edition needs the network.',
  failed: 'Could not publish. Please try again.',
};

export const tCards: CardsMessages = lang === 'en' ? en : vi;
