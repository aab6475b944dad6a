// The fixed lists every commune shares (categories, outcomes, fail reasons, places, age bands, sex)
// and the versioned service catalogue. Codes are the wire values; labels are for people.
import servicesV1 from './services.v1.json';

export interface Labelled<C extends string> {
  readonly code: C;
  readonly vi: string;
  readonly en: string;
}

function codes<C extends string>(list: readonly Labelled<C>[]): [C, ...C[]] {
  return list.map((l) => l.code) as [C, ...C[]];
}

export const CATEGORIES = [
  { code: 'can_cuoc', vi: 'Thẻ căn cước', en: 'Chip ID card' },
  { code: 'vneid_l1', vi: 'Kích hoạt VNeID mức 1', en: 'VNeID level 1 activation' },
  { code: 'vneid_l2', vi: 'Kích hoạt VNeID mức 2', en: 'VNeID level 2 activation' },
  { code: 'vneid_docs', vi: 'Tích hợp giấy tờ vào VNeID', en: 'Documents in VNeID' },
  { code: 'online_filing', vi: 'Nộp hồ sơ dịch vụ công trực tuyến', en: 'Online public-service filing' },
  { code: 'online_payment', vi: 'Thanh toán trực tuyến', en: 'Online payment' },
  { code: 'app_install', vi: 'Cài đặt ứng dụng', en: 'App install' },
  { code: 'digital_skills', vi: 'Kỹ năng số', en: 'Digital skills' },
  { code: 'other', vi: 'Khác', en: 'Other' },
] as const satisfies readonly Labelled<string>[];
export type Category = (typeof CATEGORIES)[number]['code'];
export const CATEGORY_CODES = codes<Category>(CATEGORIES);

export const OUTCOMES = [
  { code: 'done', vi: 'Hoàn thành', en: 'Done' },
  { code: 'submitted', vi: 'Đã nộp hồ sơ', en: 'Submitted' },
  { code: 'follow_up', vi: 'Cần theo dõi tiếp', en: 'Needs follow-up' },
  { code: 'referred', vi: 'Chuyển công an xã / trung tâm phục vụ HCC', en: 'Referred' },
  { code: 'failed', vi: 'Không thành công', en: 'Failed' },
] as const satisfies readonly Labelled<string>[];
export type Outcome = (typeof OUTCOMES)[number]['code'];
export const OUTCOME_CODES = codes<Outcome>(OUTCOMES);

export const FAIL_REASONS = [
  { code: 'no_smartphone', vi: 'Không có điện thoại thông minh', en: 'No smartphone' },
  { code: 'sim_not_own_name', vi: 'SIM không chính chủ', en: 'SIM not in own name' },
  { code: 'data_mismatch', vi: 'Thông tin không khớp', en: 'Data mismatch' },
  { code: 'no_signal', vi: 'Không có sóng / mạng', en: 'No signal' },
  { code: 'other', vi: 'Lý do khác', en: 'Other' },
] as const satisfies readonly Labelled<string>[];
export type FailReason = (typeof FAIL_REASONS)[number]['code'];
export const FAIL_REASON_CODES = codes<FailReason>(FAIL_REASONS);

export const PLACES = [
  { code: 'home', vi: 'Tại nhà dân', en: 'Home' },
  { code: 'hamlet_hall', vi: 'Nhà văn hóa thôn', en: 'Hamlet hall' },
  { code: 'commune_office', vi: 'Trụ sở UBND xã', en: 'Commune office' },
  { code: 'other', vi: 'Nơi khác', en: 'Other' },
] as const satisfies readonly Labelled<string>[];
export type Place = (typeof PLACES)[number]['code'];
export const PLACE_CODES = codes<Place>(PLACES);

export const AGE_BANDS = [
  { code: 'under_14', vi: 'Dưới 14 tuổi', en: 'Under 14' },
  { code: '14_17', vi: '14–17 tuổi', en: '14–17' },
  { code: '18_59', vi: '18–59 tuổi', en: '18–59' },
  { code: '60_plus', vi: 'Từ 60 tuổi', en: '60+' },
] as const satisfies readonly Labelled<string>[];
export type AgeBand = (typeof AGE_BANDS)[number]['code'];
export const AGE_BAND_CODES = codes<AgeBand>(AGE_BANDS);

export const SEXES = [
  { code: 'male', vi: 'Nam', en: 'Male' },
  { code: 'female', vi: 'Nữ', en: 'Female' },
] as const satisfies readonly Labelled<string>[];
export type Sex = (typeof SEXES)[number]['code'];
export const SEX_CODES = codes<Sex>(SEXES);

export type Agency = 'police' | 'commune' | 'other';
export interface Service {
  readonly code: string;
  readonly agency: Agency;
  readonly name: string;
}
export interface ServiceCatalogue {
  readonly version: number;
  readonly publishedOn: string;
  readonly services: readonly Service[];
}

/** The built-in catalogue. Admins will extend it as data; records keep the code they were made with. */
export const SERVICE_CATALOGUE: ServiceCatalogue = servicesV1 as ServiceCatalogue;

export function isKnownService(code: string, catalogue: ServiceCatalogue = SERVICE_CATALOGUE): boolean {
  return catalogue.services.some((s) => s.code === code);
}

export function labelOf<C extends string>(
  list: readonly Labelled<C>[],
  code: C,
  lang: 'vi' | 'en' = 'vi',
): string {
  return list.find((l) => l.code === code)?.[lang] ?? code;
}
