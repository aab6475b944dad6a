// The capture screen tidied for a phone: no category chosen for the volunteer,
// the saved notice gone once the next record starts, the contact section scrolled into view, the
// save bar never over a field; and the screen reaches its data only through the shell's state.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import CaptureScreen from '../../src/app/ui/capture/CaptureScreen.svelte';
import { renderCapture } from './support/capture.ts';
import { loggedInDb } from './support/db.ts';

const save = () => fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));
const categoryGroup = () => screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('no category pre-selected', () => {
  it('checks nothing, and a save without one says so under the list and focuses it', async () => {
    const db = await loggedInDb();
    const { state } = renderCapture(db);
    await state.newForm().restoreLast(); // the same reads the screen's form made
    expect(categoryGroup().querySelector('input:checked')).toBeNull();
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h1' } });
    await fireEvent.click(screen.getByLabelText('Hoàn thành'));

    await save();

    const message = await screen.findByText('Vui lòng chọn loại hỗ trợ.');
    expect(categoryGroup().getAttribute('aria-invalid')).toBe('true');
    expect(categoryGroup().getAttribute('aria-describedby')).toBe(message.id);
    await waitFor(() => expect(document.activeElement).toBe(categoryGroup().querySelector('input')));
    expect(await db.records.count()).toBe(0);
  });
});

describe('"Đã lưu · Hoàn tác"', () => {
  async function saveOne() {
    await fireEvent.click(screen.getByLabelText('Thẻ căn cước'));
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h2' } });
    await fireEvent.click(screen.getByLabelText('Hoàn thành'));
    await save();
    await screen.findByText('Đã lưu');
    expect(screen.getByRole('button', { name: 'Hoàn tác' })).toBeTruthy();
  }

  it('goes at the first change of the next record, and the saved record stays', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await saveOne();

    await fireEvent.click(screen.getByLabelText('Kích hoạt VNeID mức 1'));

    await waitFor(() => expect(screen.getByTestId('save-notice').textContent?.trim()).toBe(''));
    expect(screen.queryByRole('button', { name: 'Hoàn tác' })).toBeNull();
    const [record] = await db.records.toArray();
    expect(record?.category).toBe('can_cuoc');
    expect(record?.deleted).toBeFalsy();
  });

  it('goes when the contact section of the next record is opened', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await saveOne();

    await fireEvent.click(await screen.findByText('Liên hệ theo dõi'));

    await waitFor(() => expect(screen.queryByRole('button', { name: 'Hoàn tác' })).toBeNull());
    expect(screen.getByTestId('save-notice').textContent?.trim()).toBe('');
  });

  it('still takes the save back while it shows', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await saveOne();

    await fireEvent.click(screen.getByRole('button', { name: 'Hoàn tác' }));

    await screen.findByText('Đã hoàn tác, bản ghi vừa lưu đã được xoá');
    const rows = await db.records.toArray();
    expect(rows.every((r) => r.deleted === true)).toBe(true);
  });

  it('stays while nothing changes (a refused save keeps its message until the next save)', async () => {
    const db = await loggedInDb();
    renderCapture(db);
    await save();
    await screen.findByText('Vui lòng sửa các ô được đánh dấu.');
    await fireEvent.click(screen.getByLabelText('Thẻ căn cước'));
    // The field messages are fixed one by one: the summary is not dropped by the first change.
    expect(screen.getByTestId('save-notice').textContent).toContain('Vui lòng sửa các ô được đánh dấu.');
  });
});

describe('the contact section', () => {
  function stubScroll(reduce: boolean) {
    const scroll = vi.fn();
    Element.prototype.scrollIntoView = scroll;
    vi.stubGlobal(
      'matchMedia',
      vi.fn((query: string) => ({ matches: reduce && query.includes('reduce'), media: query })),
    );
    return scroll;
  }

  it('scrolls into view (nearest, smoothly) once opened', async () => {
    const scroll = stubScroll(false);
    const db = await loggedInDb();
    renderCapture(db);
    const summary = await screen.findByText('Liên hệ theo dõi');
    expect(scroll).not.toHaveBeenCalled();

    await fireEvent.click(summary);

    await waitFor(() => expect(scroll).toHaveBeenCalledTimes(1));
    expect(scroll).toHaveBeenCalledWith({ block: 'nearest', behavior: 'smooth' });
    expect(scroll.mock.contexts[0]).toBe(summary.closest('details'));
  });

  it('jumps without animation when the phone asks for reduced motion', async () => {
    const scroll = stubScroll(true);
    const db = await loggedInDb();
    renderCapture(db);

    await fireEvent.click(await screen.findByText('Liên hệ theo dõi'));

    await waitFor(() => expect(scroll).toHaveBeenCalledWith({ block: 'nearest', behavior: 'auto' }));
  });
});

describe('the save bar', () => {
  // The value a rule gives, without spaces (the built CSS drops the optional ones).
  const value = (el: Element, property: string) =>
    getComputedStyle(el).getPropertyValue(property).replace(/\s+/g, '');

  it('sits at the bottom of the scrolling area (above the navigation), 3.5rem high, and keeps every field clear of it', async () => {
    const db = await loggedInDb();
    const { container } = renderCapture(db);
    const form = container.querySelector('form')!;
    const bar = screen.getByTestId('save-bar');

    // The last field can scroll above the bar. (Read before any custom property:
    // jsdom's cached computed style loses var() values once one is read.)
    expect(value(form, 'padding-bottom')).toBe('calc(var(--chrome-h)+1rem)');
    expect(value(form, 'scroll-padding-bottom')).toBe('calc(var(--chrome-h)+0.5rem)');
    expect(value(bar, 'position')).toBe('fixed');
    expect(value(bar, 'height')).toBe('var(--save-h)');
    // The shell's scrolling area contains layout and ends at the navigation: fixed is relative to it.
    expect(value(bar, 'bottom')).toBe('0px');
    // 3.5rem: 56 px at 16 px text, and it grows with the phone's font size.
    expect(value(form, '--save-h')).toBe('3.5rem');
    expect(value(form, '--chrome-h')).toBe('var(--save-h)');
    // A focused field (including one inside the lazy parts) is scrolled clear of the bar.
    const note = await screen.findByLabelText('Ghi chú');
    for (const field of [screen.getByLabelText('Thôn/ấp'), screen.getByLabelText('Hoàn thành'), note]) {
      expect(value(field, 'scroll-margin-bottom')).toBe('calc(var(--chrome-h)+0.5rem)');
    }
  });
});

describe('accessibility', () => {
  it('has no axe violation with every part open, after a refused save and with the PIN prompt', async () => {
    const db = await loggedInDb();
    const { container } = renderCapture(db, { vault: true });
    await fireEvent.click(screen.getByLabelText('Nộp hồ sơ dịch vụ công trực tuyến'));
    await fireEvent.click(await screen.findByText('Thông tin thêm'));
    await fireEvent.click(await screen.findByText('Liên hệ theo dõi'));
    await screen.findByTestId('pin-gate');
    await screen.findByLabelText('Tìm dịch vụ công');
    await save();
    await screen.findByText('Vui lòng chọn thôn/ấp.');

    // jsdom draws nothing: contrast is checked by the e2e run in Chromium.
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    expect(
      result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
});

describe('capture through state', () => {
  it('takes no database prop: without the shell’s capture state it refuses to mount', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => render(CaptureScreen, { props: {} })).toThrow(/No "capture" state/);
  });

  it('saves into the database of the state it was given', async () => {
    const db = await loggedInDb();
    const onSaved = vi.fn();
    renderCapture(db, { onSaved });
    await fireEvent.click(screen.getByLabelText('Thẻ căn cước'));
    await fireEvent.change(screen.getByLabelText('Thôn/ấp'), { target: { value: 'h1' } });
    await fireEvent.click(screen.getByLabelText('Hoàn thành'));
    await save();
    await screen.findByText('Đã lưu');
    expect(await db.records.count()).toBe(1);
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  // The capture screen, its parts and the PIN views: their text sizes and their imports.
  const root = join(import.meta.dirname, '../../src/app/ui');
  const files = [
    ...readdirSync(join(root, 'capture')).map((f) => join(root, 'capture', f)),
    ...['PinContact.svelte', 'PinGate.svelte', 'PinField.svelte'].map((f) => join(root, 'privacy', f)),
  ];

  it.each(files.map((f) => [f.slice(root.length + 1), f]))(
    '%s imports no Dexie, table or sync code at run time',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      const runtime = [...source.matchAll(/^\s*import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map(
        (m) => m[1]!,
      );
      const dynamic = [...source.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
      const bad = [...runtime, ...dynamic].filter((p) => p === 'dexie' || /\/(db|sync)\//.test(p));
      expect(bad).toEqual([]);
      expect(source).not.toMatch(/\bdb\s*[:?]\s*SotayDB/);
    },
  );

  it.each(files.filter((f) => f.endsWith('.svelte')).map((f) => [f.slice(root.length + 1), f]))(
    '%s sets text in rem, never below 0.875rem (14 px)',
    (_name, file) => {
      const sizes = [...readFileSync(file, 'utf8').matchAll(/font-size:\s*([^;]+);/g)].map((m) =>
        m[1]!.trim(),
      );
      for (const size of sizes) {
        const rem = /^([\d.]+)rem$/.exec(size);
        expect(rem, `${size} is not in rem`).not.toBeNull();
        expect(Number(rem![1])).toBeGreaterThanOrEqual(0.875);
      }
    },
  );
});
