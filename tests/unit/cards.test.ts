import { describe, expect, it } from 'vitest';
import {
  CARD_TEXT_MAX,
  CardEdition,
  cardKeys,
  checkEdition,
  parseMarkup,
  searchCards,
  type Card,
  type PublishCards,
} from '../../src/shared/catalogue/cards.ts';
import firstEdition from '../../src/shared/catalogue/cards.v1.json';
import { CATEGORIES, SERVICE_CATALOGUE } from '../../src/shared/index.ts';

const shipped = CardEdition.parse(firstEdition);
const publish = (cards: Card[]): PublishCards => ({ source: shipped.source, cards });

describe('the card markup', () => {
  it('reads paragraphs, numbered lists and bullet lists', () => {
    const { blocks, issues } = parseMarkup(
      'Làm theo thứ tự:\nnhé\n\n1. Mở VNeID\n2. Chọn thủ tục\n   tiếp dòng\n\n- Thẻ căn cước\n- SIM chính chủ',
    );
    expect(issues).toEqual([]);
    expect(blocks).toEqual([
      { kind: 'p', text: 'Làm theo thứ tự: nhé' },
      { kind: 'ol', items: ['Mở VNeID', 'Chọn thủ tục tiếp dòng'] },
      { kind: 'ul', items: ['Thẻ căn cước', 'SIM chính chủ'] },
    ]);
  });

  it('refuses raw HTML and entities, naming the line', () => {
    expect(parseMarkup('dòng một\n<b>đậm</b>').issues).toEqual([{ line: 2, code: 'html' }]);
    expect(parseMarkup('<img src=x onerror=alert(1)>').issues[0]?.code).toBe('html');
    expect(parseMarkup('a &amp; b').issues[0]?.code).toBe('html');
    // A lone "<" or "&" in plain words is text.
    expect(parseMarkup('tuổi < 14 & trên 60').issues).toEqual([]);
  });

  it('wants numbered lists from 1 up, and no empty items', () => {
    expect(parseMarkup('1. a\n3. b').issues).toEqual([{ line: 2, code: 'numbering' }]);
    expect(parseMarkup('2. a').issues).toEqual([{ line: 1, code: 'numbering' }]);
    expect(parseMarkup('- \n- b').issues).toEqual([{ line: 1, code: 'empty_item' }]);
    // A blank line starts a new list: numbering starts again.
    expect(parseMarkup('1. a\n\n1. b').issues).toEqual([]);
  });

  it('refuses control characters', () => {
    expect(parseMarkup('a\u0007b').issues).toEqual([{ line: 1, code: 'control' }]);
    expect(parseMarkup('a\tb').issues).toEqual([]);
  });
});

describe('the first edition', () => {
  it('has one card per service, category and topic, and passes the publish checks', () => {
    expect(shipped.cards.map((c) => c.key)).toEqual(cardKeys());
    expect(cardKeys()).toHaveLength(SERVICE_CATALOGUE.services.length + CATEGORIES.length + 1);
    expect(checkEdition(publish(shipped.cards))).toEqual([]);
  });

  it('writes the most filed services in full and marks the rest short', () => {
    const full = shipped.cards.filter((c) => !c.short).map((c) => c.key);
    expect(full.sort()).toEqual(
      [
        'service:XA-01',
        'service:CA-03',
        'service:CA-04',
        'service:CA-02',
        'service:CA-10',
        'service:KH-03',
        'topic:xac_nhan_tthn',
        'category:vneid_l1',
        'category:vneid_l2',
      ].sort(),
    );
    expect(shipped.publishedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(shipped.source).toContain('dichvucong.gov.vn');
    // Never an invented amount: a fee is free or sends to the portal.
    for (const c of shipped.cards) expect(c.fee).not.toMatch(/\d{1,3}\.\d{3}\s*(đ|đồng)/);
  });
});

describe('publish checks', () => {
  it('names an unknown key, a repeated one and a missing one', () => {
    const cards = shipped.cards.slice(1).map((c) => ({ ...c }));
    cards[0] = { ...cards[0]!, key: 'service:ZZ-99' };
    cards.push({ ...cards[1]! });
    const codes = checkEdition(publish(cards)).map((i) => `${i.field}:${i.code}`);
    expect(codes).toContain('cards.0.key:unknown_service');
    expect(codes).toContain(`cards.${cards.length - 1}.key:duplicate`);
    expect(codes).toContain('cards:missing_card');
  });

  it('names a text too long and bad markup with a Vietnamese message', () => {
    const cards = shipped.cards.map((c) => ({ ...c }));
    cards[2] = { ...cards[2]!, papers: 'x'.repeat(CARD_TEXT_MAX + 1) };
    cards[3] = { ...cards[3]!, failures: '- a\n<script>alert(1)</script>' };
    const issues = checkEdition(publish(cards));
    expect(issues.find((i) => i.field === 'cards.2.papers')?.code).toBe('too_long');
    const bad = issues.find((i) => i.field === 'cards.3.failures');
    expect(bad?.code).toBe('bad_markup');
    expect(bad?.message).toContain('dòng 2');
  });
});

describe('card search', () => {
  it('finds cards without diacritics, titles first', () => {
    const found = searchCards(shipped.cards, 'khai sinh');
    expect(found[0]?.key).toBe('service:XA-01');
    expect(found.map((c) => c.key)).toContain('service:XA-04');
    expect(searchCards(shipped.cards, 'TAM TRU')[0]?.key).toBe('service:CA-04');
    expect(searchCards(shipped.cards, 'ly lich tu phap')[0]?.key).toBe('service:CA-10');
    expect(searchCards(shipped.cards, 'hon nhan').map((c) => c.key)).toContain('topic:xac_nhan_tthn');
  });

  it('finds by words inside the texts, and nothing for a word no card has', () => {
    const byText = searchCards(shipped.cards, 'nfc').map((c) => c.key);
    expect(byText).toContain('category:vneid_l1');
    expect(searchCards(shipped.cards, 'khongcotu')).toEqual([]);
    expect(searchCards(shipped.cards, '  ')).toHaveLength(shipped.cards.length);
  });
});
