// Vietnamese words of the group sessions' section, on screen and on paper (docs/reporting.md, "Group
// sessions"): a section of its own, named so it is never read as individual assistance.
export const st = {
  title: 'Buổi sinh hoạt nhóm',
  intro: 'Tính riêng, không cộng vào số lượt hỗ trợ từng người dân.',
  sessions: 'Số buổi',
  attendees: 'Số lượt người tham dự',
  byTopic: 'Theo chủ đề',
  byHamlet: 'Theo thôn/ấp',
  byTeam: 'Theo tổ',
  attendance: 'Người tham dự theo giới tính và nhóm tuổi',
  topic: 'Chủ đề',
  hamlet: 'Thôn/ấp',
  team: 'Tổ',
  sex: 'Giới tính',
  total: 'Tổng cộng',
  targets: 'Chỉ tiêu buổi sinh hoạt nhóm',
  noTargets: 'Chưa có chỉ tiêu về buổi sinh hoạt nhóm cho kỳ này.',
  empty: 'Chưa có buổi sinh hoạt nhóm nào trong kỳ.',
  rejected: (sessions: string, attendees: string) =>
    `Không tính vào tổng: ${sessions} buổi bị từ chối khi duyệt (“Không duyệt”), ${attendees} lượt người tham dự.`,
  /** The printout's paragraph under the heading. */
  summary: (sessions: string, attendees: string) =>
    `Trong kỳ tổ chức ${sessions} buổi sinh hoạt nhóm với ${attendees} lượt người tham dự (tính riêng, không cộng vào kết quả hỗ trợ từng người dân).`,
  exportCsv: 'Xuất buổi sinh hoạt nhóm (CSV)',
  printSection: 'VI. BUỔI SINH HOẠT NHÓM',
  /** The targets' heading when the sessions' section comes before it. */
  printTargets: 'VII. TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU',
};
