/** GET /health: the store and the version — no personal data, no authentication. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppOptions } from '../app.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  store: Type.Object({ kind: Type.String(), reachable: Type.Boolean(), latencyMs: Type.Number() }),
});

export function registerHealthRoutes(app: FastifyInstance, opts: AppOptions): void {
  app.get(
    '/health',
    { config: { public: true }, schema: { operationId: 'getHealth', summary: 'Whether the server and its store answer, and the version', tags: ['system'], security: [], response: { 200: Health, 503: Health } } },
    async (_req, reply) => {
      const started = performance.now();
      let reachable = true;
      try {
        await sql`select 1`.execute(opts.ctx.store.db);
      } catch {
        reachable = false;
      }
      const body = {
        status: reachable ? ('ok' as const) : ('degraded' as const),
        version: opts.version,
        store: { kind: opts.ctx.store.kind, reachable, latencyMs: Math.round((performance.now() - started) * 100) / 100 },
      };
      return reply.code(reachable ? 200 : 503).send(body);
    },
  );
}
