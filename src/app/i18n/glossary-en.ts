// The English mirror of glossary.ts (same shape, same one-word-per-state rule); only the English
// catalogue and the lazy screens' English blocks import it, so Vietnamese phones never load it.
import type { Glossary } from './glossary.ts';

export const glossaryEn: Glossary = {
  sync: {
    to_post: 'Waiting to send',
    to_update: 'Edit waiting to send',
    uploading: 'Sending',
    synced: 'Sent',
    error: 'Not accepted by the server',
  },
  review: {
    none: 'Not reviewed',
    received: 'Acknowledged',
    has_issues: 'Needs fixing',
    approved: 'Approved',
    rejected: 'Not approved',
  },
  waiting: (n) => `${n} records waiting to send`,
};
