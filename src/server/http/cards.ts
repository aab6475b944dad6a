// The commune's how-to cards (docs/cards.md): GET /cards, the current edition with an ETag so a phone
// downloads it only when it changed, and POST /cards, the admin publishing a whole new edition.
import type { FastifyInstance } from 'fastify';
import { AppError, communeDay } from '../../shared/index.ts';
import { CardEdition, PublishCards, checkEdition } from '../../shared/catalogue/cards.ts';
import firstEdition from '../../shared/catalogue/cards.v1.json';
import { audit } from '../security/audit.ts';
import { ALL_ROLES, access, currentUser } from '../security/access.ts';
import type { CardEditionRow, Reads, Store } from '../store/store.ts';
import { parseBody } from './parse.ts';

/** The edition shipped with the app: every commune's current one until it publishes its own. */
export const SHIPPED_EDITION: CardEdition = CardEdition.parse(firstEdition);

/** A publish body of every card of the largest edition stays well below this. */
export const CARDS_BODY_LIMIT = 512 * 1024;

/** The edition a phone should hold: the commune's highest, or the shipped one. Never a half-stored row. */
function editionOf(row: CardEditionRow | null): CardEdition {
  if (!row) return SHIPPED_EDITION;
  const parsed = CardEdition.safeParse({
    edition: row.edition,
    publishedOn: row.publishedOn,
    source: row.source,
    cards: row.cards,
  });
  // A stored edition was checked when published; one that no longer parses (a later schema) is not served.
  return parsed.success ? parsed.data : SHIPPED_EDITION;
}

/** The number the pull's last page announces: the commune's edition, or the shipped one's. */
export async function currentCardEdition(store: Reads, communeCode: string): Promise<number> {
  return (await store.cardEditionNumber(communeCode)) ?? SHIPPED_EDITION.edition;
}

function etagOf(communeCode: string, edition: number): string {
  return `"cards-${communeCode}-${edition}"`;
}

export function registerCards(app: FastifyInstance, store: Store): void {
  app.get('/cards', { bodyLimit: 1024, config: access(ALL_ROLES, 'commune') }, async (request, reply) => {
    const user = currentUser(request);
    const edition = editionOf(await store.getCardEdition(user.communeCode));
    const etag = etagOf(user.communeCode, edition.edition);
    reply.header('etag', etag);
    reply.header('cache-control', 'no-cache');
    const given = request.headers['if-none-match'];
    if (typeof given === 'string' && given.split(',').some((t) => t.trim() === etag)) {
      return reply.code(304).send();
    }
    return edition;
  });

  app.post(
    '/cards',
    { bodyLimit: CARDS_BODY_LIMIT, config: access(['admin'], 'commune') },
    async (request, reply): Promise<CardEdition> => {
      const user = currentUser(request);
      const body = parseBody(PublishCards, request.body);
      const fields = checkEdition(body);
      if (fields.length > 0) throw new AppError('invalid_request', { fields });
      const now = new Date();
      const published = await store.transaction(async (tx) => {
        const before = (await tx.cardEditionNumber(user.communeCode)) ?? 0;
        const row: CardEditionRow = {
          communeCode: user.communeCode,
          edition: Math.max(before, SHIPPED_EDITION.edition) + 1,
          publishedOn: communeDay(now),
          source: body.source.trim(),
          cards: body.cards,
          publishedBy: user.id,
          publishedAt: now.toISOString(),
        };
        await tx.insertCardEdition(row);
        return row;
      });
      const edition = editionOf(published);
      audit(request, 'cards_publish', `cards:${user.communeCode}`, {
        edition: edition.edition,
        cards: edition.cards.length,
      });
      reply.header('etag', etagOf(user.communeCode, edition.edition));
      reply.header('cache-control', 'no-store');
      return edition;
    },
  );
}
