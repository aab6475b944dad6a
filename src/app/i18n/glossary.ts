// The one glossary of a record's sync and review states (docs/glossary.md): every screen, badge,
// filter and status line takes its state words from here, so one state is never called two
// things and two states never share a word. Vietnamese here; the English mirror of the same shape
// is en.ts's own `glossary`, so the first load carries no English. Lazy screens' blocks read the
// active catalogue's (`t.glossary`) or, for a Vietnamese block, `glossaryVi` through index.ts.
import { REVIEW_NONE_LABEL_VI, REVIEW_STATE_LABELS_VI, type ReviewState } from '../../shared/index.ts';

/** A record's sync state on the phone (db/database.ts `syncState`). */
export type SyncWord = 'to_post' | 'to_update' | 'uploading' | 'synced' | 'error';
/** A record's review state; `none` is a record nobody reviewed yet (null on the wire). */
export type ReviewWord = ReviewState | 'none';

export interface Glossary {
  /** Between the phone and the server: waiting, on the wire, on the server, refused. */
  sync: Record<SyncWord, string>;
  /** The team lead's verdict on a record on the server. */
  review: Record<ReviewWord, string>;
  /** "6 mục chờ gửi": records and group sessions waiting to be sent, counted (status line, storage). */
  waiting: (n: number) => string;
}

export const glossaryVi: Glossary = {
  sync: {
    to_post: 'Chờ gửi',
    to_update: 'Chờ gửi bản sửa',
    uploading: 'Đang gửi',
    synced: 'Đã gửi',
    error: 'Máy chủ không nhận',
  },
  // The server's CSV export uses the same words (shared/reporting.ts).
  review: { none: REVIEW_NONE_LABEL_VI, ...REVIEW_STATE_LABELS_VI },
  waiting: (n) => `${n} mục chờ gửi`,
};
