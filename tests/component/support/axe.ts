// axe-core on a screen mounted in jsdom, inside a frame like the app shell's (the header's h1, one
// <main>), so page-level rules see what the browser sees. Rules that need layout or colours cannot
// decide in jsdom and come back "incomplete", not as violations; the e2e tests run those.
import axe from 'axe-core';
import { onTestFinished } from 'vitest';

export interface Violation {
  id: string;
  impact: string;
  targets: string[];
}

/** The shell around a screen: `<header><h1>` and, unless the screen brings its own, a `<main>`. */
export function shellFrame(withMain = true): HTMLElement {
  document.documentElement.lang = 'vi';
  document.title = 'Sổ tay Tổ CNS';
  const header = document.createElement('header');
  header.innerHTML = '<h1>Sổ tay Tổ CNS</h1>';
  const target = document.createElement(withMain ? 'main' : 'div');
  document.body.append(header, target);
  onTestFinished(() => {
    header.remove();
    target.remove();
  });
  return target;
}

/** Violations of any impact on the whole document as it is now. */
export async function axeViolations(): Promise<Violation[]> {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? '',
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}
