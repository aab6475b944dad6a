// Search text folding for Vietnamese: "dang ky", "Đăng Ký" and the NFD spelling all fold the same.
// Pure; used by the app's service picker and record search.

/** NFD, drop combining marks, đ→d, lower-case, collapse spaces. */
export function foldSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every word of the query occurs in the text, ignoring diacritics, case and NFC/NFD. */
export function matchesSearch(text: string, query: string): boolean {
  const words = foldSearch(query).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const hay = foldSearch(text);
  return words.every((w) => hay.includes(w));
}
