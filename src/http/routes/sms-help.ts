/** GET /sms/help: the published syntax of the citizens' SMS service (issue 14) — public, no personal data. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { helpDocument, helpText, SMS_COMMANDS } from '../../domain/sms/help.js';

const SmsHelp = Type.Object({
  keywords: Type.Array(Type.Object({ command: Type.Union(SMS_COMMANDS.map((c) => Type.Literal(c))), forms: Type.Array(Type.String()), meaning: Type.String() })),
  answers: Type.Array(
    Type.Object({ answer: Type.Union([Type.Literal('approve'), Type.Literal('refuse')]), forms: Type.Array(Type.String()), meaning: Type.String() }),
    { description: "Answers to a message that carried a code (an agency's consent request); <mã> stands for the code" },
  ),
  unaccented: Type.Array(Type.String(), { description: 'Typed after a command: the reply comes without diacritics (GSM-7)' }),
  prefixes: Type.Array(Type.String(), { description: 'May open any message; ignored' }),
  text: Type.String({ description: 'The help as sent by SMS' }),
});

export function registerSmsHelpRoutes(app: FastifyInstance): void {
  app.get(
    '/sms/help',
    {
      config: { public: true },
      schema: {
        operationId: 'getSmsHelp',
        summary: 'The SMS syntax citizens use to read their own data (text/plain by default; JSON when the Accept header asks for it)',
        description: 'The keywords a citizen texts from a phone number registered to them (with or without diacritics, any case), what each reply carries, and the KD suffix for replies without diacritics. The same text is sent by SMS for HD and for anything not understood.',
        tags: ['sms'],
        security: [],
        response: { 200: { description: 'The help', content: { 'text/plain; charset=utf-8': { schema: Type.String() }, 'application/json': { schema: SmsHelp } } } },
      },
    },
    async (req, reply) => {
      if ((req.headers.accept ?? '').includes('application/json')) return reply.type('application/json; charset=utf-8').send(JSON.stringify(helpDocument()));
      return reply.type('text/plain; charset=utf-8').send(`${helpText()}\n`);
    },
  );
}
