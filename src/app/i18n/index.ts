// The active UI language. Only Vietnamese today; a second language plugs in here as another Messages.
import type { Messages } from './messages.ts';
import { vi } from './vi.ts';

export type { Messages } from './messages.ts';
export const t: Messages = vi;

/** The badge text of a record's sync state ("Lỗi: <lý do>" for errors). */
export function syncStateLabel(state: SyncStateName, reason?: string): string {
  return state === 'error' ? t.syncState.error(reason || t.sync.unknownError) : t.syncState[state];
}
type SyncStateName = 'to_post' | 'to_update' | 'uploading' | 'synced' | 'error';
