// A clientId (one installed app) belongs to the user who first used it; nobody else may push or
// pull with it (sync-protocol.md: a spoofed clientId is refused).
import { AppError } from '../../shared/index.ts';
import type { ClientRow, Store } from '../store/store.ts';

export async function claimClient(
  store: Store,
  userId: string,
  clientId: string,
  now: string,
): Promise<ClientRow> {
  // A known client is checked on the read connection, so a pull never waits for the write lock.
  const client =
    (await store.getClient(clientId)) ??
    (await store.transaction(async (tx) => {
      const found = await tx.getClient(clientId);
      if (found) return found;
      await tx.insertClient(clientId, userId, now);
      return { clientId, userId, lastSeq: 0 };
    }));
  if (client.userId !== userId) throw new AppError('forbidden', { reason: 'client_of_another_user' });
  return client;
}
