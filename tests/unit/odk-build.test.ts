// The load rows' baseline page (bench/odk) must build with its own vite config: a minified page
// whose scripts exist and carry our capture form's XForm, written outside the app's dist/.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { buildOdkPage } from '../../bench/odk/serve.ts';

const out = mkdtempSync(join(tmpdir(), 'sotay-odk-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it(
  'the ODK Web Forms page builds into its own folder, minified, with the XForm inside',
  { timeout: 120_000 },
  async () => {
    // No Brotli copies here: seconds of CPU that only the bench's server needs.
    await buildOdkPage(out, false);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    const assets = readdirSync(join(out, 'assets'));
    for (const s of scripts) expect(assets).toContain(s.slice('assets/'.length));
    const js = scripts.map((s) => readFileSync(join(out, s), 'utf8')).join('\n');
    // Booleans, not toContain: a failure would print megabytes of bundle.
    expect(js.includes('sotay_capture'), 'the XForm is in the bundle').toBe(true);
    expect(js.includes('Ghi nhận hỗ trợ'), "the form's Vietnamese title is in the bundle").toBe(true);
    // Minified: ODK's published chunk (readable, indented) comes out smaller under its own name.
    const dist = dirname(fileURLToPath(import.meta.resolve('@getodk/web-forms')));
    const published = readdirSync(dist).filter((f) => /^index-.+\.js$/.test(f));
    expect(published.length).toBe(1);
    const name = (published[0] ?? '').replace(/\.js$/, '');
    const built = scripts.find((s) => s.includes(`/${name}-`));
    expect(built, `a built chunk named after ${name}`).toBeDefined();
    expect(statSync(join(out, built ?? '')).size).toBeLessThan(0.9 * statSync(join(dist, `${name}.js`)).size);
  },
);
