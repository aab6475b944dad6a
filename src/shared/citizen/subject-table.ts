// A data-subject answer as the citizen reads it (docs/privacy.md, "Data-subject requests"). Imported
// by path, not through the shared index, which kept it in the app's first load.
import { formatDayVi } from '../dates.ts';
import { NO_VI, YES_VI, choiceLabelVi, formatDateTimeVi, serviceNameVi } from '../record-labels.ts';
import { fieldLabelVi } from '../record.ts';

/** Names for the ids a record holds; an id without a name is shown as it is. */
export interface SubjectNames {
  hamlets?: ReadonlyMap<string, string>;
  people?: ReadonlyMap<string, string>;
}

/** A record of the answer: what the server sends (SubjectRecord), typed loosely for both sides. */
export interface SubjectRecordLike {
  id: string;
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
  contact?: { name?: string; phone?: string; dossierCode?: string } | null;
}

type DataValue = (data: Record<string, unknown>, names: SubjectNames) => string;
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const day =
  (field: string): DataValue =>
  (d) =>
    typeof d[field] === 'string' ? formatDayVi(d[field]) : text(d[field]);
const time =
  (field: string): DataValue =>
  (d) =>
    formatDateTimeVi(d[field]) || text(d[field]);
const choice =
  (field: string): DataValue =>
  (d) =>
    choiceLabelVi(field, d[field]);
const yesNo =
  (field: string): DataValue =>
  (d) =>
    d[field] === true ? YES_VI : d[field] === false ? NO_VI : text(d[field]);

/** The record fields of the answer, in reading order, with their Vietnamese headers. */
const SUBJECT_FIELDS: [field: string, header: string, value: DataValue][] = [
  ['occurredOn', 'Ngày hỗ trợ', day('occurredOn')],
  ['hamletId', 'Thôn/ấp', (d, n) => n.hamlets?.get(text(d.hamletId)) ?? text(d.hamletId)],
  ['category', 'Loại hỗ trợ', choice('category')],
  ['outcome', 'Kết quả', choice('outcome')],
  ['failReason', 'Lý do không thành công', choice('failReason')],
  [
    'serviceCode',
    'Dịch vụ công',
    (d) => [text(d.serviceCode), serviceNameVi(d.serviceCode)].filter(Boolean).join(' – '),
  ],
  ['paidOnline', 'Thanh toán trực tuyến', yesNo('paidOnline')],
  ['place', 'Nơi hỗ trợ', choice('place')],
  ['ageBand', 'Nhóm tuổi', choice('ageBand')],
  ['sex', 'Giới tính', choice('sex')],
  ['followUpOn', 'Ngày hẹn theo dõi', day('followUpOn')],
  ['note', 'Ghi chú', (d) => text(d.note)],
  ['volunteerId', 'Tình nguyện viên', (d, n) => n.people?.get(text(d.volunteerId)) ?? text(d.volunteerId)],
  ['consentGiven', 'Đồng ý cho ghi thông tin', yesNo('consentGiven')],
  ['consentMethod', 'Cách đồng ý', choice('consentMethod')],
  ['consentNotice', 'Phiên bản thông báo đã đọc', (d) => text(d.consentNotice)],
  ['consentAt', 'Thời điểm đồng ý', time('consentAt')],
  ['createdAt', 'Thời điểm tạo', time('createdAt')],
  ['updatedAt', 'Thời điểm sửa', time('updatedAt')],
];
/** Never shown: the record id is its own column, and sealed values mean nothing to a reader. */
const SUBJECT_HIDDEN = new Set(['id', 'citizenKey', 'citizenSeal', 'contact']);

/**
 * The answer as one table: exactly one column for the record id, Vietnamese headers and values
 * (labels, dd/mm/yyyy days, commune time), the contact's parts when `withContact`, and any field
 * this list does not know yet under its Vietnamese field label, so nothing held is left out.
 */
export function subjectTable(
  records: readonly SubjectRecordLike[],
  names: SubjectNames = {},
  withContact = false,
): { headers: string[]; rows: string[][] } {
  const known = new Set(SUBJECT_FIELDS.map(([f]) => f));
  const extra = [
    ...new Set(
      records.flatMap((r) => Object.keys(r.data)).filter((k) => !known.has(k) && !SUBJECT_HIDDEN.has(k)),
    ),
  ].sort();
  const headers = [
    'Mã bản ghi',
    'Tình trạng',
    'Phiên bản',
    ...SUBJECT_FIELDS.map(([, h]) => h),
    ...extra.map((k) => fieldLabelVi(k)),
    ...(withContact ? ['Họ tên liên hệ', 'Số điện thoại liên hệ', 'Mã hồ sơ'] : []),
  ];
  const rows = records.map((r) => [
    r.id,
    r.deleted ? 'Đã xoá' : 'Đang lưu',
    String(r.version),
    ...SUBJECT_FIELDS.map(([, , value]) => value(r.data, names)),
    ...extra.map((k) => {
      const v = r.data[k];
      return typeof v === 'object' && v !== null ? JSON.stringify(v) : text(v);
    }),
    ...(withContact ? [text(r.contact?.name), text(r.contact?.phone), text(r.contact?.dossierCode)] : []),
  ]);
  return { headers, rows };
}
