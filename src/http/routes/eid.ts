/**
 * Citizens' e-ID accounts (decision 0042). Public: level-1 self-registration, activation, and the
 * two-step self-unlock (a locked account cannot sign in). The signed-in citizen (`/me/eid`): the
 * account, a self-lock, a new phone number or e-mail address (a code to the new contact). Officers:
 * level 2 at the counter (the card's QR verified against the registry), the authority's lock and
 * unlock with a reason. Signing in itself is /auth/sign-in with the personal ID as the login name.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceContext } from '../../services/context.js';
import type { CategoryCatalogue } from '../../services/categories.js';
import type { AuthSettings } from '../../services/auth/settings.js';
import { activateEid, eidView, eidViewOfPerson, issueLevel2, sweepLapsedAccounts, type EidDeps } from '../../services/eid/accounts.js';
import { confirmRegistration, resendRegistrationCode, startRegistration } from '../../services/eid/registration.js';
import { confirmSelfUnlock, lockByAuthority, lockOwnAccount, resendUnlockCode, startSelfUnlock, unlockByAuthority } from '../../services/eid/locks.js';
import { confirmContactChange, resendChangeCode, startEmailChange, startPhoneChange } from '../../services/eid/contacts.js';
import { actorOf, READERS, WRITERS } from '../auth.js';
import { CITIZENS } from './citizen-usage.js';
import { PEOPLE_IN_ANSWER, PEOPLE_IN_REQUEST_AND_ANSWER } from '../people.js';
import { PERSON_IN_PATH } from '../recording.js';
import { problemResponses } from '../problem.js';

const TAGS = ['e-ID accounts'];
const PersonalId = Type.String({ pattern: '^\\d{12}$', description: 'The 12-digit personal ID' });
const Phone = Type.String({ minLength: 1, maxLength: 20, description: 'A Vietnamese mobile number (0912 345 678, +84912345678)' });
const Password = Type.String({ minLength: 1, maxLength: 1024, description: 'At least 8 characters, not a common one (NIST SP 800-63B: a password used with a second factor)' });
const Code = Type.String({ minLength: 1, maxLength: 10, description: 'The 6-digit code received' });
const Challenge = Type.String({ minLength: 1, maxLength: 100, description: 'Carries the step to its code (minutes long, once)' });
const Reason = Type.String({ minLength: 1, maxLength: 500 });

const CodeStep = Type.Object(
  {
    challenge: Challenge,
    expiresAt: Type.String({ format: 'date-time' }),
    sentTo: Type.String({ description: 'Masked: where the code goes (as given)' }),
  },
  { $id: 'EidCodeStep', additionalProperties: false },
);

const EidView = Type.Object(
  {
    principalId: Type.String(),
    personalId: PersonalId,
    level: Type.Union([Type.Literal(1), Type.Literal(2)]),
    state: Type.Union([Type.Literal('pending-activation'), Type.Literal('active'), Type.Literal('lapsed')], { description: 'At this instant: a pending account past its deadline is lapsed' }),
    activationDeadline: Type.Optional(Type.String({ format: 'date-time', description: 'Pending: the end of the 7th day after the notice (Vietnam time)' })),
    activatedAt: Type.Optional(Type.String({ format: 'date-time' })),
    phone: Type.Optional(Type.String({ description: 'Masked: the number one-time codes go to' })),
    email: Type.Optional(Type.String({ description: 'Masked' })),
    secondFactor: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('totp')])),
    locked: Type.Boolean(),
    lockKind: Type.Optional(Type.Union([Type.Literal('self'), Type.Literal('authority')])),
    lockedAt: Type.Optional(Type.String({ format: 'date-time' })),
    representativePersonalId: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: 'The legal representative whose account and number act for this one' })),
  },
  { $id: 'EidAccount', additionalProperties: false },
);
/** What a public step answers: the account's state without naming anyone (public routes name nobody, decision 0030). */
const EidStatus = Type.Omit(EidView, ['personalId', 'representativePersonalId'], { $id: 'EidStatus', additionalProperties: false });
const statusOf = ({ personalId: _p, representativePersonalId: _r, ...rest }: Awaited<ReturnType<typeof eidView>>) => rest;
const Level2Result = Type.Object({ ...EidView.properties, sentTo: Type.String({ description: 'Masked: where the activation code went' }) }, { $id: 'EidLevel2Result', additionalProperties: false });

function client(req: FastifyRequest) {
  const ua = req.headers['user-agent'];
  return { sourceIp: req.ip, ...(typeof ua === 'string' ? { userAgent: ua } : {}) };
}

/** How often pending accounts past their deadline are marked lapsed (sign-in computes it anyway). */
const SWEEP_EVERY_MS = 60 * 60_000;

export function registerEidRoutes(root: FastifyInstance, ctx: ServiceContext, catalogue: CategoryCatalogue, settings: AuthSettings): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const d: EidDeps = { store: ctx.store, clock: ctx.clock, settings, ctx };
  const sweep = setInterval(() => void sweepLapsedAccounts(d).catch(() => undefined), SWEEP_EVERY_MS);
  sweep.unref();
  root.addHook('onClose', async () => clearInterval(sweep));

  // ------------------------------------------------------------------ public
  app.post(
    '/eid/registrations',
    {
      config: { public: true },
      schema: {
        operationId: 'startEidRegistration',
        summary: 'Level-1 e-ID account, step 1: personal ID, a number registered to you, a password; a code goes to the number by SMS',
        description: 'The same answer whatever the outcome: no code is sent when no account can be issued (no such person, the number is not registered to them, an account exists).',
        tags: TAGS,
        body: Type.Object({ personalId: PersonalId, phone: Phone, password: Password }, { additionalProperties: false }),
        response: { 200: CodeStep, ...problemResponses(429) },
      },
    },
    async (req) => startRegistration(d, req.body, client(req)),
  );
  app.post(
    '/eid/registrations/resend-code',
    { config: { public: true }, schema: { operationId: 'resendEidRegistrationCode', summary: 'Another registration code (a few, 30 s apart)', tags: TAGS, body: Type.Object({ challenge: Challenge }, { additionalProperties: false }), response: { 200: CodeStep, ...problemResponses(429) } } },
    async (req) => resendRegistrationCode(d, req.body),
  );
  app.post(
    '/eid/registrations/confirm',
    {
      config: { public: true },
      schema: {
        operationId: 'confirmEidRegistration',
        summary: 'Level-1 e-ID account, step 2: the code; the account is issued and active at once (sign in with the personal ID, the password and a code by SMS)',
        tags: TAGS,
        body: Type.Object({ challenge: Challenge, code: Code }, { additionalProperties: false }),
        response: { 201: EidStatus, ...problemResponses(409) },
      },
    },
    async (req, reply) => reply.code(201).send(statusOf(await confirmRegistration(d, req.body, client(req)))),
  );
  app.post(
    '/eid/activation',
    {
      config: { public: true },
      schema: {
        operationId: 'activateEid',
        summary: 'Activate an account issued at the counter with the code of its notice, within 7 days (a password is chosen now when the account has none)',
        tags: TAGS,
        body: Type.Object({ personalId: PersonalId, code: Code, password: Type.Optional(Password) }, { additionalProperties: false }),
        response: { 200: EidStatus, ...problemResponses(429) },
      },
    },
    async (req) => statusOf(await activateEid(d, req.body, client(req))),
  );
  app.post(
    '/eid/unlock',
    {
      config: { public: true },
      schema: {
        operationId: 'startEidSelfUnlock',
        summary: 'Unlock one\'s self-locked account, step 1: a code to the account\'s number (none for an authority\'s lock; the same answer either way)',
        tags: TAGS,
        body: Type.Object({ personalId: PersonalId }, { additionalProperties: false }),
        response: { 200: CodeStep, ...problemResponses(429) },
      },
    },
    async (req) => startSelfUnlock(d, req.body, client(req)),
  );
  app.post(
    '/eid/unlock/resend-code',
    { config: { public: true }, schema: { operationId: 'resendEidUnlockCode', summary: 'Another unlock code', tags: TAGS, body: Type.Object({ challenge: Challenge }, { additionalProperties: false }), response: { 200: CodeStep, ...problemResponses(429) } } },
    async (req) => resendUnlockCode(d, req.body),
  );
  app.post(
    '/eid/unlock/confirm',
    {
      config: { public: true },
      schema: {
        operationId: 'confirmEidSelfUnlock',
        summary: 'Unlock one\'s self-locked account, step 2: the code and the password',
        tags: TAGS,
        body: Type.Object({ challenge: Challenge, code: Code, password: Password }, { additionalProperties: false }),
        response: { 200: EidStatus, ...problemResponses(409) },
      },
    },
    async (req) => statusOf(await confirmSelfUnlock(d, req.body, client(req))),
  );

  // ------------------------------------------------------------------ the signed-in citizen
  const me = (req: FastifyRequest) => actorOf(req).principalId;
  app.get(
    '/me/eid',
    { config: { roles: CITIZENS, people: PEOPLE_IN_ANSWER }, schema: { operationId: 'myEid', summary: 'One\'s e-ID account: level, state, masked contacts, lock, representative', tags: TAGS, response: { 200: EidView, ...problemResponses(404) } } },
    async (req) => eidView(d, me(req)),
  );
  app.post(
    '/me/eid/lock',
    {
      config: { roles: CITIZENS, people: PEOPLE_IN_ANSWER },
      schema: {
        operationId: 'lockMyEid',
        summary: 'Lock one\'s own account at once (a lost phone): this session ends too; unlock with POST /eid/unlock',
        tags: TAGS,
        body: Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false }),
        response: { 200: EidView, ...problemResponses(404, 409) },
      },
    },
    async (req) => lockOwnAccount(d, me(req), req.body.reason),
  );
  for (const purpose of ['phone', 'email'] as const) {
    const what = purpose === 'phone' ? 'number (registered to you, or to your representative)' : 'e-mail address';
    const body = purpose === 'phone' ? Type.Object({ phone: Phone }, { additionalProperties: false }) : Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false });
    const Name = purpose === 'phone' ? 'Phone' : 'Email';
    app.post(
      `/me/eid/${purpose}`,
      { config: { roles: CITIZENS }, schema: { operationId: `startMyEid${Name}Change`, summary: `A new ${what}, step 1: a code goes to the NEW one`, tags: TAGS, body, response: { 200: CodeStep, ...problemResponses(409) } } },
      async (req) => (purpose === 'phone' ? startPhoneChange(d, me(req), req.body as { phone: string }) : startEmailChange(d, me(req), req.body as { email: string })),
    );
    app.post(
      `/me/eid/${purpose}/resend-code`,
      { config: { roles: CITIZENS }, schema: { operationId: `resendMyEid${Name}Code`, summary: `Another code to the new ${purpose === 'phone' ? 'number' : 'address'}`, tags: TAGS, body: Type.Object({ challenge: Challenge }, { additionalProperties: false }), response: { 200: CodeStep, ...problemResponses(409, 429) } } },
      async (req) => resendChangeCode(d, me(req), req.body, purpose),
    );
    app.post(
      `/me/eid/${purpose}/confirm`,
      { config: { roles: CITIZENS, people: PEOPLE_IN_ANSWER }, schema: { operationId: `confirmMyEid${Name}Change`, summary: `A new ${what}, step 2: the code it received`, tags: TAGS, body: Type.Object({ challenge: Challenge, code: Code }, { additionalProperties: false }), response: { 200: EidView, ...problemResponses(409) } } },
      async (req) => confirmContactChange(d, me(req), req.body, purpose),
    );
  }

  // ------------------------------------------------------------------ officers
  app.post(
    '/eid/accounts/level2',
    {
      config: { roles: WRITERS, people: PEOPLE_IN_REQUEST_AND_ANSWER },
      schema: {
        operationId: 'issueEidLevel2',
        summary: 'Level 2 at the counter: the card\'s QR verified against the registry and a number registered to the person (or to the legal representative of an under-14 or a person under guardianship); the account is created or raised, pending activation, and the activation code goes by SMS',
        tags: TAGS,
        body: Type.Object(
          {
            qrPayload: Type.String({ minLength: 1, maxLength: 2000, description: 'The card\'s QR text, as scanned' }),
            phone: Phone,
            representativePersonalId: Type.Optional(PersonalId),
          },
          { additionalProperties: false },
        ),
        response: { 201: Level2Result, ...problemResponses(409, 422) },
      },
    },
    async (req, reply) => reply.code(201).send(await issueLevel2(d, catalogue, req.body, actorOf(req).principalId)),
  );
  app.get(
    '/eid/accounts/:personalId',
    {
      config: { roles: READERS, people: PERSON_IN_PATH },
      schema: { operationId: 'getEidAccount', summary: 'A person\'s e-ID account', tags: TAGS, params: Type.Object({ personalId: PersonalId }), response: { 200: EidView, ...problemResponses(404) } },
    },
    async (req) => eidViewOfPerson(d, req.params.personalId),
  );
  for (const action of ['lock', 'unlock'] as const) {
    app.post(
      `/eid/accounts/:principalId/${action}`,
      {
        config: { roles: WRITERS, people: PEOPLE_IN_ANSWER },
        schema: {
          operationId: action === 'lock' ? 'lockEidByAuthority' : 'unlockEidByAuthority',
          summary: action === 'lock' ? 'The authority\'s lock, with a reason: effective on the next request everywhere; only the authority lifts it' : 'The authority\'s unlock, with a reason (lifts a self-lock too)',
          tags: TAGS,
          params: Type.Object({ principalId: Type.String({ format: 'uuid' }) }),
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: EidView, ...problemResponses(404, 409) },
        },
      },
      async (req) => (action === 'lock' ? lockByAuthority : unlockByAuthority)(d, req.params.principalId, req.body.reason, actorOf(req).principalId),
    );
  }
}
