// The card a screen asked the cards place to open (the capture form's "Xem hướng dẫn"): set just
// before going to `#/cards`, taken once by the cards screen. A module value, not an address, so the
// shell's record-id rules never see it.
let requested: string | null = null;

export function requestCard(key: string): void {
  requested = key;
}

/** The requested card key, cleared as it is read. */
export function takeRequestedCard(): string | null {
  const key = requested;
  requested = null;
  return key;
}
