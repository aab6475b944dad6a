// gzip on the wire: `Content-Encoding: gzip` request bodies inflated under the route's body limit (a
// zip bomb is 413, a broken stream 400), and JSON answers gzipped for clients that accept it.
import { PassThrough, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/index.ts';

/** Smaller answers are sent as they are: gzip would save little and cost a header. */
export const GZIP_MIN_BYTES = 1024;

const gzipAsync = promisify(gzip);

/** Fastify checks the encoded length against Content-Length through this property. */
class InflatedBody extends PassThrough {
  receivedEncodedLength = 0;
}

/** True when an Accept-Encoding header admits gzip (not `gzip;q=0`). Pure. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text.split(',').some((part) => {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name.trim() !== 'gzip' && name.trim() !== 'x-gzip' && name.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** The request body inflated, failing with 413 past `limit` inflated bytes and 400 on a bad stream. */
export function inflate(source: Readable, limit: number): Readable {
  const out = new InflatedBody();
  // Fastify listens for errors as it reads; this keeps an unread body's error from crashing.
  out.on('error', () => undefined);
  const gunzip = createGunzip();
  let inflated = 0;
  let failed = false;
  const count = (chunk: Buffer): void => {
    out.receivedEncodedLength += chunk.length;
  };
  const fail = (err: AppError): void => {
    if (failed) return;
    failed = true;
    source.unpipe(gunzip);
    source.off('data', count);
    // Read and drop the rest of the upload, so the answer can still be sent on this connection.
    source.resume();
    gunzip.destroy();
    out.destroy(err);
  };
  source.on('data', count);
  gunzip.on('data', (chunk: Buffer) => {
    inflated += chunk.length;
    if (inflated > limit)
      fail(new AppError('payload_too_large', { reason: 'inflated_body_too_large', limit }));
    else out.write(chunk);
  });
  gunzip.on('end', () => {
    if (!failed) out.end();
  });
  gunzip.on('error', () => fail(new AppError('invalid_json', { reason: 'invalid_gzip' })));
  source.on('error', () => fail(new AppError('invalid_request', { reason: 'body_aborted' })));
  source.pipe(gunzip);
  return out;
}

export function registerCompression(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (encoding === '' || encoding === 'identity') return payload;
    if (request.method === 'GET' || request.method === 'HEAD') return payload;
    if (encoding !== 'gzip' && encoding !== 'x-gzip')
      throw new AppError('unsupported_media_type', {
        reason: 'content_encoding',
        accepted: ['gzip', 'identity'],
      });
    return inflate(payload, request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1024 * 1024);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('content-encoding') || !acceptsGzip(request.headers['accept-encoding']))
      return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    if (Buffer.byteLength(payload) < GZIP_MIN_BYTES) return payload;
    reply.header('content-encoding', 'gzip');
    reply.header('vary', 'accept-encoding');
    reply.removeHeader('content-length');
    return gzipAsync(payload);
  });
}
