// At start, after the migrations: secrets of citizenKey still in the database (communes older than
// migration 20261207-01) move into the key file, then the database's copy is emptied. Copy first,
// forget after: a start that stops in between leaves the secret in both places, never in neither.
import type { Store } from '../store/store.ts';
import type { ServerKeys } from './keys.ts';

/** How many communes' secrets moved (0 once done). */
export async function moveCitizenSecrets(store: Store, keys: ServerKeys): Promise<number> {
  const legacy = await store.transaction((tx) => tx.legacyCitizenSecrets());
  if (legacy.size === 0) return 0;
  await keys.citizen.adopt(legacy);
  await store.transaction((tx) => tx.forgetLegacyCitizenSecrets([...legacy.keys()]));
  return legacy.size;
}
