// Hand-off routes under /api/v1 (docs/handoff.md), behind the authenticate hook:
//   POST /handoff/device-keys  any syncing user: register this device's public signing key
//   GET  /handoff/device-keys  lead: the team's device keys, for offline verification
//   GET  /handoff/commune-key  lead, admin: the commune's key pair for offline import
//   POST /handoff/bundles      lead: upload a volunteer's bundle, pushed on the volunteer's behalf
import type { FastifyInstance } from 'fastify';
import {
  BundleUploadRequest,
  MAX_BUNDLE_BYTES,
  RegisterDeviceKeyRequest,
  type BundleUploadResponse,
  type CommuneKeyResponse,
  type RegisterDeviceKeyResponse,
  type TeamDeviceKeysResponse,
} from '../../shared/handoff/index.ts';
import { communePrivateKey, receiveBundle, registerDeviceKey, teamDeviceKeys } from '../handoff/service.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import type { Store } from '../store/store.ts';
import { access, currentUser } from '../security/access.ts';
import { audit } from '../security/audit.ts';
import { parseBody } from './parse.ts';

/** A bundle's bytes in base64url, plus the JSON around it. */
export const BUNDLE_BODY_LIMIT = Math.ceil((MAX_BUNDLE_BYTES * 4) / 3) + 1024;

export function registerHandoff(app: FastifyInstance, store: Store, keys?: ServerKeys): void {
  app.post(
    '/handoff/device-keys',
    { bodyLimit: 4 * 1024, config: access(['volunteer', 'lead'], 'own') },
    async (request): Promise<RegisterDeviceKeyResponse> =>
      registerDeviceKey(
        store,
        currentUser(request),
        parseBody(RegisterDeviceKeyRequest, request.body),
        request.deviceId,
      ),
  );

  app.get(
    '/handoff/device-keys',
    { config: access(['lead'], 'team') },
    async (request, reply): Promise<TeamDeviceKeysResponse> => {
      reply.header('cache-control', 'no-store');
      return { keys: await teamDeviceKeys(store, currentUser(request)) };
    },
  );

  app.get(
    '/handoff/commune-key',
    { config: access(['lead', 'admin'], 'commune') },
    async (request, reply): Promise<CommuneKeyResponse> => {
      reply.header('cache-control', 'no-store');
      audit(request, 'view', 'handoff/commune-key');
      return communePrivateKey(store, currentUser(request));
    },
  );

  app.post(
    '/handoff/bundles',
    { bodyLimit: BUNDLE_BODY_LIMIT, config: access(['lead'], 'team') },
    async (request, reply): Promise<BundleUploadResponse> => {
      reply.header('cache-control', 'no-store');
      const body = parseBody(BundleUploadRequest, request.body);
      const answer = await receiveBundle(store, currentUser(request), body.bundle, new Date(), keys);
      audit(request, 'edit', 'handoff/bundle', { bytes: body.bundle.length });
      return answer;
    },
  );
}
