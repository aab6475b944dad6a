// After a refused save: bring the first field with a message into view and focus, so a person
// using a screen reader or a small screen lands on what needs fixing.
export function focusFirstInvalid(root: HTMLElement | undefined): void {
  const bad = root?.querySelector('[aria-invalid="true"]');
  const target = bad?.matches('input, select, textarea')
    ? bad
    : bad?.querySelector('input, select, textarea');
  if (target instanceof HTMLElement) target.focus();
}
