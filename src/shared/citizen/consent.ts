// The consent step of the "Liên hệ theo dõi" section: the notice read to the citizen (versioned, so a
// record says which text was read) and how consent was given. Nothing personal is kept without it.

/** Every notice text ever shown, by version; a record names the one that was read. Never edit one: add. */
export const CONSENT_NOTICES = {
  'tb-2026-01': {
    vi:
      'Tổ công nghệ số xin phép ghi lại việc hỗ trợ anh/chị và mã hoá số định danh của anh/chị ' +
      '(không lưu số gốc) để đếm số người được hỗ trợ; nếu cần hẹn lại, tổ ghi thêm họ tên, số ' +
      'điện thoại, mã hồ sơ để liên hệ. Thông tin được mã hoá, chỉ tổ và UBND xã dùng để theo dõi, ' +
      'tự xoá sau 60 ngày kể từ khi xong việc. Anh/chị có quyền từ chối, xem, hoặc yêu cầu xoá ' +
      'bất cứ lúc nào qua UBND xã.',
    en:
      'The digital-technology team asks to record this assistance and an encoded form of your ID ' +
      'number (the number itself is not kept) to count the people helped; for a follow-up it also ' +
      'notes your name, phone and dossier code. The data is encrypted, used only by the team and ' +
      'the commune to follow up, and erased 60 days after the case is closed. You may refuse, see ' +
      'it or ask for it to be erased at any time through the commune office.',
  },
} as const;
export type ConsentNoticeVersion = keyof typeof CONSENT_NOTICES;
export const CONSENT_NOTICE_VERSIONS = Object.keys(CONSENT_NOTICES) as [
  ConsentNoticeVersion,
  ...ConsentNoticeVersion[],
];
/** The notice the app shows now. */
export const CURRENT_CONSENT_NOTICE: ConsentNoticeVersion = 'tb-2026-01';

export const CONSENT_METHODS = [
  { code: 'spoken', vi: 'Đồng ý bằng lời (đã đọc thông báo)', en: 'Spoken (notice read aloud)' },
  { code: 'signed', vi: 'Ký vào phiếu đồng ý', en: 'Signed a consent form' },
] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number]['code'];
export const CONSENT_METHOD_CODES = CONSENT_METHODS.map((m) => m.code) as [ConsentMethod, ...ConsentMethod[]];

/** Record fields that hold the consent itself. */
export const CONSENT_FIELDS = ['consentGiven', 'consentMethod', 'consentNotice', 'consentAt'] as const;
