// First-run set-up over HTTP (docs/operations.md): POST /api/setup with the printed link's token,
// and the gate that, while no commune exists, answers every other API call `setup_pending`.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/index.ts';
import type { SetupResponse } from '../../shared/setup.ts';
import { hashToken } from '../auth/tokens.ts';
import { publicAccess } from '../security/access.ts';
import { createCommune, setupPending } from '../setup/commune.ts';
import type { Store } from '../store/store.ts';
import { sendError } from './errors.ts';

export const SETUP_PATH = '/api/setup';
const OPEN_WHILE_PENDING = new Set(['/api/health', SETUP_PATH]);

/** Whether set-up is pending; once done it stays done, so the database is asked only until then. */
export interface SetupState {
  pending(): Promise<boolean>;
  done(): void;
}

export function setupState(store: Store): SetupState {
  let done = false;
  return {
    async pending() {
      if (done) return false;
      // Asked again while pending: another process sharing the database may have done it.
      done = !(await setupPending(store));
      return !done;
    },
    done() {
      done = true;
    },
  };
}

function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** Before the access hook: nobody can log in yet, so "log in again" would mislead. */
export function registerSetupGate(app: FastifyInstance, state: SetupState): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!isApi(path) || OPEN_WHILE_PENDING.has(path)) return;
    if (await state.pending()) return sendError(reply, 'setup_pending');
  });
}

function tokenKnown(store: Store, token: string): Promise<boolean> {
  const hash = hashToken(token);
  return store.transaction((tx) => tx.hasSetupToken(hash));
}

export function registerSetup(app: FastifyInstance, store: Store, state: SetupState): void {
  app.post(SETUP_PATH, { bodyLimit: 64 * 1024, config: publicAccess() }, async (request, reply) => {
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new AppError('invalid_request');
    const given = (body as { token?: unknown }).token;
    const token = typeof given === 'string' ? given : '';
    // Checked before the fields: a wrong link learns nothing about what a set-up would need.
    if (!(await state.pending())) throw new AppError('setup_done');
    if (!/^[A-Za-z0-9_-]{20,128}$/.test(token) || !(await tokenKnown(store, token)))
      throw new AppError('setup_token_invalid');
    const plan = await createCommune(store, body, { kind: 'setup', token });
    state.done();
    const out: SetupResponse = {
      communeCode: plan.commune.code,
      communeName: plan.commune.name,
      username: plan.admin.username,
      hamlets: plan.hamlets.length,
      teams: plan.teams.length,
    };
    return reply.status(201).send(out);
  });
}
