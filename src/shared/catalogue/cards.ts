// How-to cards (docs/cards.md): one card per essential service, per assistance category and per
// extra topic, published by the commune as a whole edition. The shapes, the keys a card may have,
// the tiny markup of its texts and the checks a published edition must pass, shared by the phone,
// the editor and the server. Not re-exported from src/shared/index.ts: the first load never needs it.
import * as z from 'zod/mini';
import { isCalendarDay } from '../dates.ts';
import type { FieldIssue } from '../errors.ts';
import { foldSearch } from '../search.ts';
import { CATEGORIES, SERVICE_CATALOGUE, type ServiceCatalogue } from './index.ts';

/** Topics a commune files often that the service catalogue does not list on their own. */
export const CARD_TOPICS = [{ code: 'xac_nhan_tthn', vi: 'Xác nhận tình trạng hôn nhân' }] as const;

/** Most characters in one text of a card (steps, papers, failures, where to go). */
export const CARD_TEXT_MAX = 3000;
/** Most characters in the fee line, the legal basis and the title. */
export const CARD_LINE_MAX = 300;
/** Most characters of an edition's source line. */
export const CARD_SOURCE_MAX = 300;

/** Whether the fee can be paid online: yes, no, nothing to pay, or see the national portal. */
export const PAY_ONLINE = ['yes', 'no', 'free', 'ask'] as const;
export type PayOnline = (typeof PAY_ONLINE)[number];
export const PAY_ONLINE_VI: Record<PayOnline, string> = {
  yes: 'Thanh toán trực tuyến được',
  no: 'Không thanh toán trực tuyến được',
  free: 'Không mất phí',
  ask: 'Xem cách nộp trên Cổng DVC',
};

/** The texts of a card written in the markup below, with their Vietnamese labels. */
export const CARD_TEXTS = {
  steps: 'Các bước',
  papers: 'Giấy tờ cần mang',
  failures: 'Lỗi thường gặp và cách xử lý',
  offline: 'Khi không làm trực tuyến được',
} as const;
export type CardTextField = keyof typeof CARD_TEXTS;
export const CARD_TEXT_FIELDS = Object.keys(CARD_TEXTS) as CardTextField[];

// The zod caps are only a backstop against huge bodies: checkEdition gives the precise 400 codes.
const text = z.string().check(z.maxLength(CARD_TEXT_MAX * 4));
const line = z.string().check(z.maxLength(CARD_LINE_MAX * 4));

export const Card = z.strictObject({
  /** `service:<catalogue code>`, `category:<category code>` or `topic:<topic code>`. */
  key: z.string().check(z.maxLength(64)),
  title: line,
  /** A short card: written briefly, not yet in full; the screen says so. */
  short: z.boolean(),
  steps: text,
  papers: text,
  fee: line,
  payOnline: z.enum(PAY_ONLINE),
  failures: text,
  offline: text,
  /** The legal basis, only where the writer is sure of it. */
  basis: z.optional(line),
});
export type Card = z.infer<typeof Card>;

/** A whole edition as the server answers it and the phone keeps it. */
export const CardEdition = z.strictObject({
  edition: z.int().check(z.gte(1)),
  /** The day it was published (YYYY-MM-DD), shown on every card. */
  publishedOn: z.string().check(z.refine(isCalendarDay)),
  source: z.string().check(z.maxLength(CARD_SOURCE_MAX * 4)),
  cards: z.array(Card).check(z.maxLength(200)),
});
export type CardEdition = z.infer<typeof CardEdition>;

/** POST /api/v1/cards (admin): the whole new edition; the server numbers and dates it. */
export const PublishCards = z.strictObject({
  source: z.string().check(z.maxLength(CARD_SOURCE_MAX * 4)),
  cards: z.array(Card).check(z.maxLength(200)),
});
export type PublishCards = z.infer<typeof PublishCards>;

/** The key of the card of a catalogue service. */
export function serviceCardKey(code: string): string {
  return `service:${code}`;
}

/** Every key an edition must have a card for, in the order the cards screen lists them. */
export function cardKeys(catalogue: ServiceCatalogue = SERVICE_CATALOGUE): string[] {
  return [
    ...catalogue.services.map((s) => serviceCardKey(s.code)),
    ...CARDS_CATEGORY_CODES.map((c) => `category:${c}`),
    ...CARD_TOPICS.map((t) => `topic:${t.code}`),
  ];
}
const CARDS_CATEGORY_CODES = CATEGORIES.map((c) => c.code);

// ---- the markup: paragraphs, "1." numbered lists, "-" bullet lists; nothing else -----------------

export type Block =
  { kind: 'p'; text: string } | { kind: 'ol'; items: string[] } | { kind: 'ul'; items: string[] };

export type MarkupProblem = 'html' | 'numbering' | 'empty_item' | 'control';
export interface MarkupIssue {
  /** 1-based line of the text. */
  line: number;
  code: MarkupProblem;
}

export const MARKUP_MESSAGES_VI: Record<MarkupProblem, string> = {
  html: 'Không dùng thẻ HTML (dấu < … >) hay mã & …; chỉ viết chữ thường, danh sách "1." và "-".',
  numbering: 'Danh sách đánh số phải bắt đầu từ 1 và tăng dần từng số (1., 2., 3.…).',
  empty_item: 'Một dòng danh sách chưa có nội dung sau dấu "-" hoặc số.',
  control: 'Văn bản có ký tự điều khiển không hiển thị được; hãy gõ lại đoạn đó.',
};

const TAG_RE = /<[a-zA-Z/!?]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);/;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_RE = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const NUMBERED_RE = /^(\d{1,3})\.(?:\s+(.*))?$/;
const BULLET_RE = /^-(?:\s+(.*))?$/;

/**
 * Parses a card's text into blocks. A blank line ends a block; "N. text" lines make a numbered list
 * (numbered from 1 up), "- text" lines a bullet list, an indented line continues the list item above,
 * any other line a paragraph. Pure; the blocks are rendered as text nodes, never as HTML.
 */
export function parseMarkup(source: string): { blocks: Block[]; issues: MarkupIssue[] } {
  const blocks: Block[] = [];
  const issues: MarkupIssue[] = [];
  let open: Block | null = null;
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (CONTROL_RE.test(raw.replace(/\t/g, ' '))) issues.push({ line: lineNo, code: 'control' });
    if (TAG_RE.test(raw)) issues.push({ line: lineNo, code: 'html' });
    const line = raw.trim().replace(/\s+/g, ' ');
    if (line === '') {
      open = null;
      return;
    }
    const numbered = NUMBERED_RE.exec(line);
    const bullet = numbered ? null : BULLET_RE.exec(line);
    if (numbered) {
      const n = Number(numbered[1]);
      const item = numbered[2] ?? '';
      if (open?.kind !== 'ol') {
        open = { kind: 'ol', items: [] };
        blocks.push(open);
      }
      if (n !== open.items.length + 1) issues.push({ line: lineNo, code: 'numbering' });
      if (item === '') issues.push({ line: lineNo, code: 'empty_item' });
      open.items.push(item);
      return;
    }
    if (bullet) {
      const item = bullet[1] ?? '';
      if (open?.kind !== 'ul') {
        open = { kind: 'ul', items: [] };
        blocks.push(open);
      }
      if (item === '') issues.push({ line: lineNo, code: 'empty_item' });
      open.items.push(item);
      return;
    }
    const indented = /^\s/.test(raw);
    if (open && open.kind !== 'p' && indented) {
      const last = open.items.length - 1;
      open.items[last] = `${open.items[last]} ${line}`.trim();
      return;
    }
    if (open?.kind === 'p') {
      open.text = `${open.text} ${line}`;
      return;
    }
    open = { kind: 'p', text: line };
    blocks.push(open);
  });
  return { blocks, issues };
}

// ---- the checks of a published edition (server and editor alike) ---------------------------------

const FIELD_LABELS_VI: Record<string, string> = {
  ...CARD_TEXTS,
  title: 'Tên thẻ',
  fee: 'Lệ phí',
  basis: 'Căn cứ pháp lý',
};

/**
 * Every problem of an edition about to be published, as field issues (`cards.<i>.<field>`, or
 * `source` / `cards`): unknown or repeated keys (`unknown_service`, `duplicate`), a missing card
 * (`missing_card`), texts too long (`too_long`), an empty title or steps (`required`) and bad markup
 * (`bad_markup`, the message naming the line). Pure.
 */
export function checkEdition(
  body: PublishCards,
  catalogue: ServiceCatalogue = SERVICE_CATALOGUE,
): FieldIssue[] {
  const out: FieldIssue[] = [];
  const known = cardKeys(catalogue);
  const seen = new Set<string>();
  if (body.source.trim() === '')
    out.push({ field: 'source', code: 'required', message: 'Hãy ghi nguồn của ấn bản.' });
  if (body.source.length > CARD_SOURCE_MAX)
    out.push({
      field: 'source',
      code: 'too_long',
      message: `Nguồn dài quá ${CARD_SOURCE_MAX} ký tự.`,
    });
  body.cards.forEach((card, i) => {
    const at = (f: string) => `cards.${i}.${f}`;
    if (!known.includes(card.key))
      out.push({
        field: at('key'),
        code: 'unknown_service',
        message: `Thẻ "${card.key}" không ứng với dịch vụ, loại hỗ trợ hay chủ đề nào.`,
      });
    else if (seen.has(card.key))
      out.push({ field: at('key'), code: 'duplicate', message: `Thẻ "${card.key}" có hai lần.` });
    seen.add(card.key);
    if (card.title.trim() === '')
      out.push({ field: at('title'), code: 'required', message: 'Hãy nhập tên thẻ.' });
    if (card.steps.trim() === '')
      out.push({ field: at('steps'), code: 'required', message: 'Hãy nhập các bước.' });
    const lines: [string, string | undefined][] = [
      ['title', card.title],
      ['fee', card.fee],
      ['basis', card.basis],
    ];
    for (const [f, value] of lines)
      if (value !== undefined && value.length > CARD_LINE_MAX)
        out.push({
          field: at(f),
          code: 'too_long',
          message: `${FIELD_LABELS_VI[f]} dài quá ${CARD_LINE_MAX} ký tự.`,
        });
    for (const f of CARD_TEXT_FIELDS) {
      const value = card[f];
      if (value.length > CARD_TEXT_MAX) {
        out.push({
          field: at(f),
          code: 'too_long',
          message: `${FIELD_LABELS_VI[f]} dài quá ${CARD_TEXT_MAX} ký tự (đang có ${value.length}).`,
        });
        continue;
      }
      const first = parseMarkup(value).issues[0];
      if (first)
        out.push({
          field: at(f),
          code: 'bad_markup',
          message: `${FIELD_LABELS_VI[f]}, dòng ${first.line}: ${MARKUP_MESSAGES_VI[first.code]}`,
        });
    }
    for (const f of ['title', 'fee', 'basis'] as const) {
      const value = card[f];
      if (value !== undefined && TAG_RE.test(value))
        out.push({
          field: at(f),
          code: 'bad_markup',
          message: `${FIELD_LABELS_VI[f]}: ${MARKUP_MESSAGES_VI.html}`,
        });
    }
  });
  const missing = known.filter((k) => !seen.has(k));
  if (missing.length > 0)
    out.push({
      field: 'cards',
      code: 'missing_card',
      message: `Ấn bản thiếu ${missing.length} thẻ: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}.`,
    });
  return out;
}

// ---- search ---------------------------------------------------------------------------------------

/** The text a card is found by: title, key and every text, folded once (src/shared/search.ts). */
export function cardSearchText(card: Card): string {
  return foldSearch(
    [
      card.title,
      card.key,
      card.steps,
      card.papers,
      card.fee,
      card.failures,
      card.offline,
      card.basis ?? '',
    ].join(' '),
  );
}

/**
 * The cards matching a query, ignoring diacritics and case: those whose title holds every word
 * first, then those matching only in their texts; catalogue order within each. Pure.
 */
export function searchCards(cards: readonly Card[], query: string): Card[] {
  const words = foldSearch(query).split(' ').filter(Boolean);
  if (words.length === 0) return [...cards];
  const inTitle: Card[] = [];
  const inText: Card[] = [];
  for (const card of cards) {
    const title = foldSearch(`${card.title} ${card.key}`);
    if (words.every((w) => title.includes(w))) inTitle.push(card);
    else {
      const hay = cardSearchText(card);
      if (words.every((w) => hay.includes(w))) inText.push(card);
    }
  }
  return [...inTitle, ...inText];
}
