/**
 * Security headers on every response (issue 12, item 4). The API answers personal data, so nothing
 * is cached unless a route says otherwise; no response may be framed or sniffed into another type;
 * HTML (the API docs today, the portal later) gets a strict Content-Security-Policy: scripts and
 * styles from this origin only, no inline script, nothing framing it. Over TLS, HSTS.
 */
import type { FastifyInstance } from 'fastify';

/** For HTML: the docs page loads its bundle, styles and the OpenAPI document from this origin. */
export const HTML_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI sets style attributes on its elements; inline styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * For the web portal's HTML (decision 0045): everything from this origin, nothing inline — not even
 * styles; images may be data: (QR codes) or blob: (a photo being scanned).
 */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "media-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Everything else is data: it may load nothing and be framed by nobody. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** One year, the figure browsers' preload lists ask for. */
const HSTS = 'max-age=31536000; includeSubDomains';

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    const type = String(reply.getHeader('content-type') ?? '');
    // A route or plugin that set its own policy knows its page (none does today).
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', type.startsWith('text/html') ? HTML_CSP : DATA_CSP);
    // Responses carry personal data unless a route declares them cacheable by setting its own header.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    return payload;
  });
}
