// Builds the ODK Web Forms baseline page when it is missing and serves it the way the app's server
// serves the app: @fastify/static with the build's Brotli/gzip copies chosen by Accept-Encoding and
// the same Cache-Control, on 127.0.0.1 over HTTP/1.1.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// The app's static module types its route config with the rate limiter's options.
import type {} from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { build } from 'vite';
import { cacheControlFor } from '../../src/server/http/static.ts';
import { ODK_DIST, odkBuildConfig } from './vite.config.ts';

export async function buildOdkPage(outDir = ODK_DIST, compress = true): Promise<string> {
  await build(odkBuildConfig(outDir, compress));
  return outDir;
}

export interface OdkServer {
  url: string;
  stop: () => Promise<void>;
}

/** Serves `dir` (built first when it has no index.html); `rebuild` builds it afresh anyway. */
export async function startOdkServer(dir = ODK_DIST, rebuild = false): Promise<OdkServer> {
  if (rebuild || !existsSync(join(dir, 'index.html'))) await buildOdkPage(dir);
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    preCompressed: true,
    setHeaders: (res, file) => res.setHeader('cache-control', cacheControlFor(file)),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, stop: () => app.close() };
}
