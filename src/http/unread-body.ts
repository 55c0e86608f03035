/**
 * An answer sent while the request's body is still arriving closes the connection (decision 0049).
 * Left open, Node would drain the rest before reading the next request, and a client that stops
 * sending would hold the socket for ever: requests have no time limit (requestTimeout 0 under
 * Fastify 5). It is the mechanism Fastify itself uses after a body parser error — a
 * `Connection: close` header, after which Node closes the socket once the answer is flushed — made
 * to cover refusals from hooks (429, 401 …), from the not-found handler and from routes that read
 * their body as a stream. An answer sent after the whole body arrived keeps the connection alive.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** True while bytes of the request's declared body have not all reached the server. */
export function bodyStillArriving(raw: IncomingMessage): boolean {
  if (raw.complete) return false;
  // A request without a body is complete only once Node's parser returns, which can be after a
  // synchronous answer: it has nothing to wait for.
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

/**
 * Called by a route refusing a request whose body it streams: closes the connection if the body
 * is still arriving (returns true: do not drain it), else leaves it for the route to drain.
 * `complete` never turns false again, so the onSend hook below decides the same way.
 */
export function closeIfBodyStillArriving(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!bodyStillArriving(request.raw)) return false;
  reply.header('connection', 'close');
  return true;
}

export function registerUnreadBodyClose(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('connection')) closeIfBodyStillArriving(request, reply);
    return payload;
  });
}
