// Security headers (@fastify/helmet) with a strict Content Security Policy, HSTS only when the
// deployment says it is behind HTTPS, and CORS closed unless origins are allowed (@fastify/cors).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { AccessControl } from './access.ts';
import { PUBLIC } from './access.ts';

export interface HeaderOptions {
  /** Origins allowed to call the API from another site (CORS_ORIGINS); empty = none. */
  corsOrigins: readonly string[];
  /** Send Strict-Transport-Security (HSTS=1): only when every visitor arrives over HTTPS. */
  hsts: boolean;
}

/** `sha256-…` sources for every inline `<script>` (no `src`) of an HTML page. Pure. */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? '';
    if (/\bsrc\s*=/i.test(attrs)) continue;
    const body = m[2] ?? '';
    out.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return out;
}

/** The inline scripts of the served index.html: the static shell's sign-in check runs before any JS file. */
export function shellScriptHashes(staticDir: string | null): string[] {
  if (staticDir === null) return [];
  const file = join(staticDir, 'index.html');
  return existsSync(file) ? inlineScriptHashes(readFileSync(file, 'utf8')) : [];
}

export function contentSecurityPolicy(scriptHashes: readonly string[], https: boolean) {
  return {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'", ...scriptHashes],
      'script-src-attr': ["'none'"],
      // Inline <style> in the shell and Svelte's style attributes; no script can come through styles.
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'worker-src': ["'self'"],
      'manifest-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
      ...(https ? { 'upgrade-insecure-requests': [] } : {}),
    },
  };
}

export async function registerHeaders(
  app: FastifyInstance,
  options: HeaderOptions,
  staticDir: string | null,
  accessControl: AccessControl,
): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: contentSecurityPolicy(shellScriptHashes(staticDir), options.hsts),
    hsts: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The PWA loads nothing cross-origin; these stay at helmet's defaults (same-origin).
    crossOriginEmbedderPolicy: false,
  });
  const allowed = new Set(options.corsOrigins);
  // The plugin's preflight route (OPTIONS *) is public; a refused origin gets no CORS headers and
  // its preflight falls through to 404.
  await accessControl.withDefault({ access: PUBLIC }, async () =>
    app.register(cors, {
      origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'content-encoding'],
      maxAge: 600,
    }),
  );
}
