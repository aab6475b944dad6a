// The how-to cards on the phone (docs/cards.md): the screen over the shipped or the kept edition
// (search without diacritics, the edition date on the card, text never turned into HTML), the
// admin's editor with its Vietnamese field messages and its publish, and the sync that swaps in a
// new edition whole or not at all.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { CardEdition, type Card } from '../../src/shared/catalogue/cards.ts';
import firstEdition from '../../src/shared/catalogue/cards.v1.json';
import { keptEdition, refreshCards } from '../../src/app/sync/card-editions.ts';
import type { SotayDB } from '../../src/app/db/database.ts';
import { putMeta, storeLogin } from '../../src/app/db/meta-repo.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import CardsScreen from '../../src/app/ui/cards/CardsScreen.svelte';
import { Router, routerSlot } from '../../src/app/state/route.svelte.ts';
import { takeRequestedCard } from '../../src/app/state/card-request.ts';
import { contextOf } from '../../src/app/state/context.ts';
import CaptureScreen from '../../src/app/ui/capture/CaptureScreen.svelte';
import { captureContext } from './support/capture.ts';
import { loggedInDb } from './support/db.ts';
import { FakeServer, USER, json, loginResponse } from './support/fake-server.ts';

const shipped = CardEdition.parse(firstEdition);

function editionTwo(change: (c: Card) => Card = (c) => c): CardEdition {
  return {
    ...shipped,
    edition: 2,
    publishedOn: '2027-01-15',
    source: 'UBND xã rà soát',
    cards: shipped.cards.map(change),
  };
}

function show(
  db: SotayDB,
  props: Partial<{ role: 'volunteer' | 'admin'; initialKey: string; api: ApiClient }> = {},
) {
  render(CardsScreen, {
    props: {
      db,
      role: props.role ?? 'volunteer',
      initialKey: props.initialKey ?? null,
      api: props.api,
      token: 'token-0123456789abcdef',
    },
  });
}

describe('the cards screen', () => {
  it('lists the shipped edition, finds a card without diacritics and shows its edition date', async () => {
    const db = await loggedInDb();
    show(db);
    expect(await screen.findByText('Ấn bản 1 · phát hành ngày 07/12/2026')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Tìm hướng dẫn (gõ không dấu cũng được)'), {
      target: { value: 'tam tru' },
    });
    const hit = await screen.findByRole('button', { name: 'Đăng ký tạm trú' });
    await fireEvent.click(hit);
    expect(await screen.findByRole('heading', { level: 2, name: 'Đăng ký tạm trú' })).toBeTruthy();
    expect(screen.getByText('Ấn bản 1 · phát hành ngày 07/12/2026')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Giấy tờ cần mang' })).toBeTruthy();
    // The steps are a numbered list.
    const steps = document.querySelector('article ol');
    expect(steps?.querySelectorAll('li').length).toBeGreaterThanOrEqual(4);
  }, 30_000);

  it('says a short card is short', async () => {
    const db = await loggedInDb();
    show(db, { initialKey: 'service:CA-09' });
    expect(await screen.findByRole('heading', { level: 2, name: 'Cấp hộ chiếu phổ thông' })).toBeTruthy();
    expect(screen.getByRole('note').textContent).toContain('Thẻ rút gọn');
  });

  it('shows the kept edition and its date, and renders text, never HTML', async () => {
    const db = await loggedInDb();
    await putMeta(
      db,
      'cards',
      editionTwo((c) => (c.key === 'service:XA-01' ? { ...c, steps: '1. Mở <b>VNeID</b>\n2. Nộp' } : c)),
    );
    show(db, { initialKey: 'service:XA-01' });
    expect(await screen.findByText('Ấn bản 2 · phát hành ngày 15/01/2027')).toBeTruthy();
    expect(screen.getByText('Mở <b>VNeID</b>')).toBeTruthy();
    expect(document.querySelector('article b')).toBeNull();
    expect(screen.getByText(/UBND xã rà soát/)).toBeTruthy();
  });
});

describe('from the capture form', () => {
  it('opens the chosen service’s card in one tap and leaves the form as it was', async () => {
    const db = await loggedInDb();
    location.hash = '#/capture';
    const router = new Router(() => 'volunteer');
    const { context } = captureContext(db);
    render(CaptureScreen, {
      props: {},
      context: new Map([...context, ...contextOf(routerSlot.entry(router))]),
    });
    await fireEvent.click(await screen.findByLabelText('Nộp hồ sơ dịch vụ công trực tuyến'));
    expect(screen.queryByRole('button', { name: /^Xem hướng dẫn/ })).toBeNull();
    const service = await screen.findByLabelText('Dịch vụ công');
    await fireEvent.change(service, { target: { value: 'CA-04' } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Xem hướng dẫn: Đăng ký tạm trú' }));
    expect(location.hash).toBe('#/cards');
    expect(takeRequestedCard()).toBe('service:CA-04');
    expect((screen.getByLabelText('Dịch vụ công') as HTMLSelectElement).value).toBe('CA-04');
  }, 30_000);
});

describe('the admin’s card editor', () => {
  it('names bad fields in Vietnamese, then publishes the edition and keeps it on this phone', async () => {
    const db = await loggedInDb();
    const published = editionTwo((c) => (c.key === 'service:XA-01' ? { ...c, fee: 'Miễn phí.' } : c));
    const sent: unknown[] = [];
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      sent.push(JSON.parse(String(init?.body)));
      return json(200, published);
    });
    const api = new ApiClient({ fetch: fetch as typeof globalThis.fetch });
    show(db, { role: 'admin', initialKey: 'service:XA-01', api });
    await fireEvent.click(await screen.findByRole('button', { name: 'Sửa thẻ này' }));
    const steps = await screen.findByLabelText('Các bước');
    await fireEvent.input(steps, { target: { value: '1. Mở VNeID\n3. Nộp' } });
    expect(
      (await screen.findByText(/Các bước, dòng 2: Danh sách đánh số phải bắt đầu từ 1/)).textContent,
    ).toBeTruthy();
    await fireEvent.input(steps, { target: { value: '1. Mở VNeID\n<script>x</script>' } });
    expect(await screen.findByText(/Các bước, dòng 2: Không dùng thẻ HTML/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Tên thẻ'), { target: { value: '' } });
    expect(await screen.findByText('Hãy nhập tên thẻ.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Phát hành ấn bản mới' }));
    expect(await screen.findByText('Hãy sửa các ô có lỗi trước khi phát hành.')).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();

    await fireEvent.input(screen.getByLabelText('Tên thẻ'), { target: { value: 'Đăng ký khai sinh' } });
    await fireEvent.input(steps, { target: { value: '1. Mở VNeID\n2. Nộp hồ sơ' } });
    await fireEvent.input(screen.getByLabelText('Lệ phí'), { target: { value: 'Miễn phí.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Phát hành ấn bản mới' }));
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(String(fetch.mock.calls[0]![0])).toBe('/api/v1/cards');
    const body = sent[0] as { source: string; cards: Card[] };
    expect(body.cards).toHaveLength(shipped.cards.length);
    const mine = body.cards.find((c) => c.key === 'service:XA-01');
    expect(mine?.steps).toBe('1. Mở VNeID\n2. Nộp hồ sơ');
    expect(mine?.fee).toBe('Miễn phí.');
    // Back on the card, now of the new edition, which this phone keeps.
    expect(await screen.findByText('Ấn bản 2 · phát hành ngày 15/01/2027')).toBeTruthy();
    expect((await keptEdition(db))?.edition).toBe(2);
  }, 30_000);
});

describe('a new edition through sync', () => {
  /** The fake server's answers, with the pull's last page announcing `announced` and GET /cards answering `cards`. */
  function withCards(server: FakeServer, announced: number, cards: () => Response) {
    const gets: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = String(input);
      if (url.endsWith('/api/v1/cards')) {
        gets.push(url);
        return cards();
      }
      const res = await server.fetch(input, init);
      if (!url.endsWith('/api/v1/sync/pull') || res.status !== 200) return res;
      const page = (await res.json()) as { hasMore: boolean };
      return json(200, page.hasMore ? page : { ...page, cards: announced });
    };
    return { fetch, gets };
  }

  it('downloads an announced edition once and keeps it whole', async () => {
    const db = await loggedInDb();
    const { fetch, gets } = withCards(new FakeServer(), 2, () => json(200, editionTwo()));
    const engine = new SyncEngine({ db, fetch, runLocked: null });
    expect(await engine.syncNow()).toBe('ok');
    expect((await keptEdition(db))?.edition).toBe(2);
    expect(gets).toHaveLength(1);
    // Announced again, held already: nothing downloaded.
    expect(await engine.syncNow()).toBe('ok');
    expect(gets).toHaveLength(1);
  });

  it('keeps the held edition when the download is cut short or malformed, and the sync still succeeds', async () => {
    const db = await loggedInDb();
    const half = { ...editionTwo(), cards: undefined };
    const { fetch, gets } = withCards(new FakeServer(), 2, () => json(200, half));
    const engine = new SyncEngine({ db, fetch, runLocked: null });
    expect(await engine.syncNow()).toBe('ok');
    expect(gets).toHaveLength(1);
    expect(await keptEdition(db)).toBeUndefined();
    const broken = new ApiClient({
      fetch: async () =>
        new Response('{"edition":2,"publishedOn":"2027-01-15","cards":[', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    });
    expect(await refreshCards(db, broken, 'token-0123456789abcdef', 2)).toBe('failed');
    expect(await keptEdition(db)).toBeUndefined();
  });

  it('forgets the kept edition when a user of another commune logs in on the phone', async () => {
    const db = await loggedInDb();
    await putMeta(db, 'cards', editionTwo());
    // The same commune again (a new login of the same user): the edition stays.
    await storeLogin(db, loginResponse());
    expect((await keptEdition(db))?.edition).toBe(2);
    const other = loginResponse();
    await storeLogin(db, {
      ...other,
      user: { ...USER, id: `${USER.id}-b` },
      commune: { ...other.commune, code: '00002', name: 'Xã Khác' },
    });
    expect(await keptEdition(db)).toBeUndefined();
  });
});
