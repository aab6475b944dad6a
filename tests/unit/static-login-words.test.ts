// index.html's inline login script runs before the i18n catalogue loads, so it carries its own
// copies of the login messages; they must stay the app's words (docs/glossary.md).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { vi as words } from '../../src/app/i18n/vi.ts';

it("the static login form's messages are the app's own login messages", () => {
  const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
  const script = html.slice(html.indexOf("document.addEventListener('submit'"));
  const quoted = [...script.slice(0, script.indexOf('</script>')).matchAll(/'([^']*[À-ỹ][^']*)'/g)].map(
    (m) => m[1],
  );
  const login = words.login;
  expect(new Set(quoted)).toEqual(
    new Set([login.missing, login.offline, login.unreachable, login.badCredentials]),
  );
});
