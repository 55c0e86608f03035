/**
 * The web portal (issue 16, decision 0045) served from the same origin as the API: the built
 * application (dist/web) with hashed assets cached for good and index.html never cached; any page
 * path a browser asks for (a GET preferring HTML to JSON that matches no API route) answers
 * index.html, as do the public verification URLs printed in certificates' QR codes — those answer
 * JSON to everyone else, so a phone's camera opens a page and a program gets data. The portal's
 * HTML gets its own Content-Security-Policy with no 'unsafe-inline' (security-headers.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../domain/errors/registry-error.js';
import { PORTAL_CSP } from './security-headers.js';

/** Where `npm run build:web` puts the portal: dist/web at the package's root (from src/http and dist/http alike). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const ASSET_NAME = /^[\w.-]{1,200}$/;
const TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  ico: 'image/x-icon',
  json: 'application/json',
};

/** The public verification routes whose URL is printed in a QR code. */
const QR_PAGES = /^\/(certificates|residence-confirmations)\/[^/?#]+\/verification(\?.*)?$/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dancu</title></head><body><h1>dancu</h1><p>The web portal is not built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it), then reload. The API is here: <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * Whether the Accept header prefers text/html to JSON (by q-value, then by order): a browser's
 * navigation, not a program. No header, or * / *, is a program.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = -1;
  let json = -1;
  let htmlAt = Infinity;
  let jsonAt = Infinity;
  accept.split(',').forEach((part, i) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) return;
    if (type === 'text/html' && q > html) [html, htmlAt] = [q, i];
    if ((type === 'application/json' || type === 'application/problem+json') && q > json) [json, jsonAt] = [q, i];
  });
  if (html <= 0) return false;
  return html > json || (html === json && htmlAt < jsonAt);
}

/** The portal's page: index.html (read on each request: a rebuild needs no restart), or the note that it is not built. */
async function sendIndex(reply: FastifyReply, webDir: string): Promise<FastifyReply> {
  const html = await readFile(join(webDir, 'index.html')).catch(() => undefined);
  reply.header('content-security-policy', PORTAL_CSP).header('cache-control', 'no-cache').header('vary', 'Accept').type('text/html; charset=utf-8');
  return reply.send(html ?? NOT_BUILT);
}

export interface WebPortal {
  /** For the not-found handler: answers index.html when a browser asks for a page path; false otherwise. */
  servePage(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

export function registerWebPortal(app: FastifyInstance, webDir: string = DEFAULT_WEB_DIR): WebPortal {
  // A browser opening a QR code's URL gets the page; the page then fetches the same URL as JSON.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || !QR_PAGES.test(request.url) || !prefersHtml(request.headers.accept)) {
      if (request.method === 'GET' && QR_PAGES.test(request.url)) reply.header('vary', 'Accept');
      return;
    }
    await sendIndex(reply, webDir);
    return reply;
  });

  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => sendIndex(reply, webDir));

  app.get<{ Params: { file: string } }>('/assets/:file', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const file = req.params.file;
    const ext = file.slice(file.lastIndexOf('.') + 1);
    const type = TYPES[ext];
    const path = join(webDir, 'assets', file);
    if (!ASSET_NAME.test(file) || !type || !(await stat(path).then((s) => s.isFile(), () => false))) {
      throw new RegistryError('NOT_FOUND');
    }
    return reply.header('cache-control', IMMUTABLE).type(type).send(await readFile(path));
  });

  return {
    async servePage(request, reply) {
      if (request.method !== 'GET' || !prefersHtml(request.headers.accept)) return false;
      await sendIndex(reply, webDir);
      return true;
    },
  };
}
