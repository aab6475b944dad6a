// The phone's copy of the how-to cards (docs/cards.md): the commune's current edition kept whole in
// `meta` ('cards'), or the edition shipped with the app (its own chunk) until a sync brings another.
// A new edition is downloaded only when the pull announced a number the phone does not hold, checked
// whole with zod, and swapped in by one Dexie transaction: a phone never shows half an edition.
// What the cards screen watches is cards/editions.ts.
import { CardEdition } from '../../shared/catalogue/cards.ts';
import type { SotayDB } from '../db/database.ts';
import { getMeta, putMeta } from '../db/meta-repo.ts';
import type { ApiClient } from './api.ts';

/** The edition shipped with the app, parsed once; a chunk of its own, fetched only when cards are shown. */
let shipped: Promise<CardEdition> | null = null;
export function shippedEdition(): Promise<CardEdition> {
  shipped ??= import('../../shared/catalogue/cards.v1.json').then((m) => CardEdition.parse(m.default));
  return shipped;
}

/** The edition kept on this phone, if any and still well-formed (an older app's row that no longer parses is ignored). */
export async function keptEdition(db: SotayDB): Promise<CardEdition | undefined> {
  const row = await getMeta(db, 'cards');
  const parsed = row === undefined ? null : CardEdition.safeParse(row);
  return parsed?.success ? parsed.data : undefined;
}

/** The number of the edition this phone shows. */
export async function heldNumber(db: SotayDB): Promise<number> {
  return (await keptEdition(db))?.edition ?? (await shippedEdition()).edition;
}

export type RefreshOutcome = 'same' | 'updated' | 'failed';

/**
 * After a sync whose pull announced edition `announced`: download the commune's edition when this
 * phone holds another, and keep it. Best effort: a failure leaves the held edition as it is.
 */
export async function refreshCards(
  db: SotayDB,
  api: ApiClient,
  token: string,
  announced: number,
): Promise<RefreshOutcome> {
  if ((await heldNumber(db)) === announced) return 'same';
  const res = await api.get(token, '/api/v1/cards', CardEdition);
  if (!res.ok) return 'failed';
  await keepEdition(db, res.value);
  return 'updated';
}

/** Keep a whole, already parsed edition: one transaction, so a reader sees the old one or the new one. */
export async function keepEdition(db: SotayDB, edition: CardEdition): Promise<void> {
  const checked = CardEdition.parse(edition);
  await db.transaction('rw', db.meta, async () => {
    await putMeta(db, 'cards', checked);
  });
}
