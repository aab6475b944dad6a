// One vocabulary: the glossary gives each sync and review state one word and no
// two states share one; every catalogue's state words are the glossary's, the old phrasings are
// gone from the app, and no English leaks into the Vietnamese catalogues or screens' markup.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { at as auditVi } from '../../src/app/dashboard/audit-i18n.ts';
import { dashboardMessages } from '../../src/app/dashboard/i18n.ts';
import { tConflicts } from '../../src/app/i18n/conflicts.ts';
import { en } from '../../src/app/i18n/en.ts';
import { glossaryVi, type Glossary } from '../../src/app/i18n/glossary.ts';
import { tHandoff } from '../../src/app/i18n/handoff.ts';
import { reviewStateLabel, syncStateLabel } from '../../src/app/i18n/index.ts';
import { tPin } from '../../src/app/i18n/pin.ts';
import { tSubjects } from '../../src/app/i18n/subjects.ts';
import { vi } from '../../src/app/i18n/vi.ts';
import { at as adminVi } from '../../src/app/ui/admin/i18n.ts';
import { st as setupVi } from '../../src/app/ui/setup/i18n.ts';
import { ERRORS, REVIEW_STATE_LABELS_VI } from '../../src/shared/index.ts';

const glossaryEn = en.glossary;
const stateWords = (g: Glossary) => [...Object.values(g.sync), ...Object.values(g.review)];

/** Every string in a catalogue, with each message function called on sample arguments. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    for (const sample of ['3', 3]) {
      try {
        return strings(fn(...Array.from({ length: Math.max(fn.length, 1) }, () => sample)));
      } catch {
        // A message that needs numbers gets them on the next try.
      }
    }
    return [];
  }
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The Vietnamese catalogues (unit tests run without a stored language: Vietnamese). */
const VIETNAMESE = {
  vi,
  handoff: tHandoff,
  conflicts: tConflicts,
  pin: tPin,
  subjects: tSubjects,
  admin: adminVi,
  setup: setupVi,
  dashboard: dashboardMessages.vi,
  audit: auditVi,
  errors: Object.values(ERRORS).map((e) => e.vi),
};
const viStrings = Object.entries(VIETNAMESE).flatMap(([name, c]) => strings(c).map((s) => ({ name, s })));

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The literal text of a component's markup and its text attributes (script, style, `{…}` left out). */
function markupText(source: string): string[] {
  let s = source
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  for (let prev = ''; prev !== s;) [prev, s] = [s, s.replace(/\{[^{}]*\}/g, '')];
  const texts = [...s.matchAll(/>([^<>]+)</g)].map((m) => m[1]!);
  const attrs = [...s.matchAll(/(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]!);
  return [...texts, ...attrs].map((x) => x.trim()).filter(Boolean);
}

/** Source without its comments (which may quote the words they explain). */
function withoutComments(source: string): string {
  return source
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

// English words a Vietnamese screen must not show (none is also a Vietnamese word without marks).
const ENGLISH =
  /\b(production|development|loading|error|errors|save|saved|cancel|submit|delete|edit|update|sync|synced|syncing|upload|download|pending|failed|success|undefined|null|NaN|true|false|login|logout|password|username|settings|search|filter|close|back|next|previous|review|approved|rejected|received|issues|records?|offline|online|unknown|please|your|with|from|the|and|TODO|object|default|draft)\b/i;

describe('glossary', () => {
  it('gives every state its own word, in both languages', () => {
    for (const g of [glossaryVi, glossaryEn]) {
      const words = stateWords(g).map((w) => w.toLocaleLowerCase('vi'));
      expect(new Set(words).size, words.join(' | ')).toBe(words.length);
      expect(words.every((w) => w.trim().length > 0)).toBe(true);
    }
    expect(Object.keys(glossaryEn.sync)).toEqual(Object.keys(glossaryVi.sync));
    expect(Object.keys(glossaryEn.review)).toEqual(Object.keys(glossaryVi.review));
  });

  it('a sync refusal and a review rejection are told apart', () => {
    expect(glossaryVi.sync.error).not.toBe(glossaryVi.review.rejected);
    expect(syncStateLabel('error', 'Thôn/ấp không thuộc xã của bạn.')).toBe(
      'Máy chủ không nhận: Thôn/ấp không thuộc xã của bạn.',
    );
    expect(reviewStateLabel('rejected')).toBe('Không duyệt');
  });

  it('every catalogue takes its state words from the glossary', () => {
    const g = glossaryVi;
    for (const s of ['to_post', 'to_update', 'uploading', 'synced'] as const) {
      expect(vi.syncState[s]).toBe(g.sync[s]);
      expect(en.syncState[s]).toBe(glossaryEn.sync[s]);
      expect(syncStateLabel(s)).toBe(g.sync[s]);
    }
    expect([vi.records.pending, vi.records.synced, vi.records.refused]).toEqual([
      g.sync.to_post,
      g.sync.synced,
      g.sync.error,
    ]);
    expect([tHandoff.statusQueued, tHandoff.statusSent, tHandoff.statusRefused]).toEqual([
      g.sync.to_post,
      g.sync.synced,
      g.sync.error,
    ]);
    for (const s of ['received', 'has_issues', 'approved', 'rejected'] as const) {
      expect(vi.review.states[s]).toBe(g.review[s]);
      expect(dashboardMessages.vi.review.states[s]).toBe(g.review[s]);
      expect(REVIEW_STATE_LABELS_VI[s]).toBe(g.review[s]);
      expect(reviewStateLabel(s)).toBe(g.review[s]);
    }
    expect(vi.review.needsFix).toBe(g.review.has_issues);
    expect(dashboardMessages.vi.review.none).toBe(g.review.none);
    expect(vi.status.pending(6)).toBe(g.waiting(6));
    expect(vi.storagePage.pending(6)).toBe(g.waiting(6));
  });

  it('no Vietnamese catalogue uses an old or second word for a state', () => {
    const old =
      /chờ đồng bộ|chưa đồng bộ|^(đã|chờ) gửi lên máy chủ$|bị từ chối(?! khi duyệt)|máy chủ từ chối|bị máy chủ|cần xem lại|^lỗi: /i;
    const hits = viStrings.filter(({ s }) => old.test(s));
    expect(hits).toEqual([]);
  });

  it('no screen spells a state word itself: they come from the catalogues', () => {
    const words = stateWords(glossaryVi);
    const hits = filesUnder('src/app', /\.(ts|svelte)$/)
      .filter((f) => !f.startsWith(join('src', 'app', 'i18n')))
      .flatMap((f) => {
        const text = withoutComments(readFileSync(f, 'utf8'));
        return words
          .filter((w) => [`'${w}'`, `"${w}"`, `\`${w}\``, `>${w}<`].some((q) => text.includes(q)))
          .map((w) => `${f}: ${w}`);
      });
    expect(hits).toEqual([]);
  });

  it('no old state phrasing is left in the app source', () => {
    const old =
      /chờ đồng bộ|chưa đồng bộ|Đã gửi lên máy chủ|Bị từ chối(?! khi duyệt)|Máy chủ từ chối|Bị máy chủ từ chối|Cần xem lại/i;
    const hits = filesUnder('src/app', /\.(ts|svelte)$/).filter((f) => old.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });
});

describe('no English in the Vietnamese UI', () => {
  it('the Vietnamese catalogues hold no English word', () => {
    expect(viStrings.length).toBeGreaterThan(300);
    const hits = viStrings.filter(({ s }) => ENGLISH.test(s));
    expect(hits).toEqual([]);
  });

  it('no component writes English text into its markup', () => {
    const files = filesUnder('src/app', /\.svelte$/);
    expect(files.length).toBeGreaterThan(20);
    const hits = files.flatMap((f) =>
      markupText(readFileSync(f, 'utf8'))
        .filter((text) => ENGLISH.test(text))
        .map((text) => `${f}: ${text}`),
    );
    expect(hits).toEqual([]);
  });

  it('the build label names a build in Vietnamese, never the raw mode', () => {
    // StorageScreen passes VITE_APP_BUILD or, without it, Vite's mode.
    expect(vi.storagePage.build('production')).toBe('Phiên bản chính thức');
    expect(vi.storagePage.build('development')).toBe('Phiên bản thử nghiệm');
    expect(vi.storagePage.build('v2')).toBe('Phiên bản v2');
  });

  it('the scan finds English when it is there', () => {
    expect(ENGLISH.test('Phiên bản production')).toBe(true);
    expect(markupText('<script>const x = 1;</script><p>Loading {x}</p><b title="Xem">Xem</b>')).toEqual([
      'Loading',
      'Xem',
      'Xem',
    ]);
  });
});
