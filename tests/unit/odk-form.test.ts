// @vitest-environment jsdom
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient declaration, no module to import
/// <reference path="../../bench/odk/web-forms.d.ts" />
// The load rows' baseline page (bench/odk): ODK Web Forms' own engine must parse and render its
// XForm, and that form must stay our capture form (the same questions and choices, in Vietnamese).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createApp, h } from 'vue';
import { CATEGORIES, OUTCOMES } from '../../src/shared/index.ts';
import { DEMO_HAMLETS } from '../../src/server/demo.ts';
import { vi as words } from '../../src/app/i18n/vi.ts';

// The engine's XPath parser is Emscripten output: under Node it reads `__dirname`, which an ES
// module lacks; the package's own folder is where it would look.
Object.assign(globalThis, { __dirname: dirname(fileURLToPath(import.meta.resolve('@getodk/web-forms'))) });
// jsdom has no matchMedia, which PrimeVue's responsive widgets read: a screen that matches no query.
window.matchMedia ??= (query: string) =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    dispatchEvent: () => false,
  }) as MediaQueryList;
const { OdkWebForm, webFormsPlugin } = await import('@getodk/web-forms');

// A path, not a URL object: under jsdom `URL` is jsdom's, which node:fs does not take.
const FORM_XML = readFileSync(
  resolve(dirname(fileURLToPath(import.meta.url)), '../../bench/odk/form.xml'),
  'utf8',
);

/** Mounts ODK's component on `xml` and waits until it reports the form loaded or failed. */
async function render(xml: string): Promise<HTMLElement> {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const app = createApp({
    render: () =>
      h(OdkWebForm, {
        formXml: xml,
        fetchFormAttachment: () => Promise.resolve(new Response(null, { status: 404 })),
        onSubmit: () => undefined,
      }),
  }).use(webFormsPlugin);
  app.mount(root);
  await expect
    .poll(() => root.querySelector('.form-initialization-status')?.className ?? '', { timeout: 20_000 })
    .toMatch(/\b(ready|error)\b/);
  return root;
}

const texts = (root: HTMLElement, selector: string) =>
  [...root.querySelectorAll(selector)].map((e) => e.textContent?.trim() ?? '');

it(
  "ODK Web Forms parses the baseline XForm into our capture form's questions",
  { timeout: 30_000 },
  async () => {
    const root = await render(FORM_XML);
    expect(root.querySelector('.form-initialization-status')?.className).toMatch(/\bready\b/);
    const labels = texts(root, 'label');
    const c = words.capture;
    // The service question is relevant only once "Nộp hồ sơ dịch vụ công trực tuyến" is chosen, as in the app.
    for (const label of [c.occurredOn, c.category, c.hamlet, c.outcome, c.note])
      expect(labels).toContain(label);
    expect(labels).not.toContain(c.service);
    for (const choice of [...CATEGORIES, ...OUTCOMES]) expect(labels).toContain(choice.vi);
    expect(FORM_XML).toContain(`<label>${DEMO_HAMLETS[0].name}</label>`);
    expect(texts(root, 'button')).toContain('Send');
  },
);

it(
  'a broken XForm is reported as a failed load, so the test above can fail',
  { timeout: 30_000 },
  async () => {
    const root = await render(FORM_XML.replace('<h:body>', '<h:body><select1 ref="/data/nowhere">'));
    expect(root.querySelector('.form-initialization-status')?.className).toMatch(/\berror\b/);
  },
);
