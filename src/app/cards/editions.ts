// What the cards screen shows (docs/cards.md): the kept edition, else the shipped one, read again
// whenever a sync keeps another. Keeping and refreshing editions is sync/card-editions.ts.
import { liveQuery } from 'dexie';
import type { CardEdition } from '../../shared/catalogue/cards.ts';
import type { SotayDB } from '../db/database.ts';
import { keptEdition, shippedEdition } from '../sync/card-editions.ts';

export { keepEdition } from '../sync/card-editions.ts';

/** What the cards screen shows: the kept edition, else the shipped one. */
export async function currentEdition(db: SotayDB): Promise<CardEdition> {
  return (await keptEdition(db).catch(() => undefined)) ?? (await shippedEdition());
}

/**
 * Calls `show` with the edition to show now and again whenever the kept one is replaced (a sync
 * brought a new one); returns the stop function.
 */
export function watchEdition(db: SotayDB, show: (edition: CardEdition) => void): () => void {
  const read = () => void currentEdition(db).then(show);
  const sub = liveQuery(() => db.meta.get('cards')).subscribe({ next: read, error: read });
  return () => sub.unsubscribe();
}
