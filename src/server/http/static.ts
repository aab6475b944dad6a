// Serves the built PWA from STATIC_DIR (its Brotli/gzip copies by Accept-Encoding), with the SPA
// fallback and cache headers a service-worker app needs; and the JSON 404 for everything else.
import { existsSync, statSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicAccess, type AccessControl } from '../security/access.ts';
import { sendError } from './errors.ts';
import { registerHttpsNotice } from './https-notice.ts';

export const NO_BUILD_MESSAGE =
  'Máy chủ Sổ tay Tổ CNS đang chạy, nhưng chưa có bản dựng giao diện. ' +
  'Hãy chạy "npm run build" rồi khởi động lại máy chủ. (API vẫn hoạt động tại /api.)';

/** The Cache-Control for one served file. */
export function cacheControlFor(file: string): string {
  // Hashed build output never changes under its name.
  if (file.includes(`${sep}assets${sep}`)) return 'public, max-age=31536000, immutable';
  // Everything else (index.html, sw.js, the manifest, icons) must be revalidated, or a phone keeps an
  // old service worker and never sees an update.
  return 'no-cache';
}

/** A Vary value with `name` added once. Pure. */
export function withVary(current: string | number | string[] | undefined, name: string): string {
  const names = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return names.some((n) => n.toLowerCase() === name.toLowerCase() || n === '*')
    ? names.join(', ')
    : [...names, name].join(', ');
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

export async function registerStatic(
  app: FastifyInstance,
  staticDir: string | null,
  accessControl: AccessControl,
): Promise<void> {
  const root = staticDir === null ? null : resolve(staticDir);
  const built = root !== null && existsSync(root) && statSync(root).isDirectory();
  if (built) {
    // The app cannot run on a plain-http LAN address; the phone is told why instead of a blank app.
    registerHttpsNotice(app);
    // The plugin's own routes serve the public shell and assets; a commune office's phones behind one
    // address install the app at once, so files are not rate-limited (they are cached and immutable).
    await accessControl.withDefault({ ...publicAccess(), rateLimit: false }, async () =>
      app.register(fastifyStatic, {
        root,
        prefix: '/',
        index: ['index.html'],
        cacheControl: false,
        // The build writes `.br` and `.gz` beside each text file (vite.config.ts); the one the phone
        // accepts is sent, identity otherwise.
        preCompressed: true,
        setHeaders: (res, file) => res.setHeader('cache-control', cacheControlFor(file)),
      }),
    );
    // Every file may come in another encoding, so a cache between must key on Accept-Encoding too;
    // added to the reply's own Vary (CORS puts Origin there), which would hide one set on the raw answer.
    app.addHook('onSend', async (request, reply, payload) => {
      if (!isApi(request.url)) reply.header('vary', withVary(reply.getHeader('vary'), 'accept-encoding'));
      return payload;
    });
  } else {
    app.get('/', { bodyLimit: 1024, config: publicAccess() }, async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return reply.type('text/plain; charset=utf-8').send(NO_BUILD_MESSAGE);
    });
  }

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const spa =
      built &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !isApi(request.url) &&
      wantsHtml(request) &&
      basename(request.url.split('?')[0] ?? '') !== 'sw.js';
    if (spa) return reply.sendFile('index.html');
    return sendError(reply, 'not_found');
  });
}
