/** Answers of the citizens' usage routes and the inspectors' grievance and visibility routes (decision 0032). */
import { Type } from '@sinclair/typebox';

export const UsageItem = Type.Object(
  {
    entryId: Type.String(),
    at: Type.String({ format: 'date-time' }),
    kind: Type.String({ description: 'exchange, officer, inspector, system or citizen (a representative)' }),
    agencyCode: Type.Optional(Type.String()),
    agencyName: Type.Optional(Type.String()),
    unit: Type.Optional(Type.String({ description: 'The officer\'s unit' })),
    system: Type.String({ description: 'The agency\'s system, or dancu for the registry\'s own channels' }),
    purpose: Type.Optional(Type.String({ description: 'The purpose or administrative procedure given, shown for every access' })),
    action: Type.String({ description: 'The operation or exchange service' }),
    description: Type.String({ description: 'One line: the purpose and what was done' }),
    fields: Type.Array(Type.String(), { description: 'The fields released' }),
    outcome: Type.Union([Type.Literal('served'), Type.Literal('refused')]),
    errorCode: Type.Optional(Type.String({ description: 'Why it was refused' })),
    receiptReady: Type.Boolean({ description: 'The entry is in the transparency log: its receipt can be downloaded' }),
  },
  { additionalProperties: false },
);

export const UsagePage = Type.Object(
  { personalId: Type.String(), items: Type.Array(UsageItem), nextCursor: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export const GrievanceEventView = Type.Object(
  {
    seq: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actorId: Type.String(),
    kind: Type.Union([Type.Literal('opened'), Type.Literal('assigned'), Type.Literal('answered'), Type.Literal('closed')]),
    text: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const grievanceProperties = {
  personalId: Type.String(),
  grievanceId: Type.String(),
  entryId: Type.String(),
  openedAt: Type.String({ format: 'date-time' }),
  openedBy: Type.String({ description: 'The principal who opened it (the citizen or their representative)' }),
  text: Type.String(),
  status: Type.Union([Type.Literal('opened'), Type.Literal('assigned'), Type.Literal('answered'), Type.Literal('closed')]),
  events: Type.Array(GrievanceEventView),
};

export const GrievanceView = Type.Object(grievanceProperties, { additionalProperties: false });

/** The entry a grievance is about, as recorded (inspectors). */
export const RecordedEntryView = Type.Object(
  {
    entryId: Type.String(),
    subjectKey: Type.String(),
    at: Type.String(),
    callerKind: Type.String(),
    principalId: Type.Optional(Type.String()),
    role: Type.Optional(Type.String()),
    unit: Type.Optional(Type.String()),
    agencyCode: Type.Optional(Type.String()),
    connectionId: Type.Optional(Type.String()),
    officerId: Type.Optional(Type.String()),
    channel: Type.String(),
    action: Type.String(),
    purpose: Type.Optional(Type.String()),
    fields: Type.Array(Type.String()),
    outcome: Type.String(),
    errorCode: Type.Optional(Type.String()),
    httpStatus: Type.Integer(),
    requestId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const GrievanceCaseView = Type.Object(
  {
    ...grievanceProperties,
    entry: Type.Optional(RecordedEntryView),
    receipt: Type.Optional(Type.String({ description: 'The entry\'s C2SP tlog-proof (absent for a second after the entry)' })),
  },
  { additionalProperties: false },
);

export const GrievancePage = Type.Object({ items: Type.Array(GrievanceView), nextCursor: Type.Optional(Type.String()) }, { additionalProperties: false });

const decided = { decisionRef: Type.String(), decidedBy: Type.String(), decidedAt: Type.String({ format: 'date-time' }) };

export const HoldView = Type.Object(
  {
    personalId: Type.String(),
    holdId: Type.String(),
    requester: Type.String(),
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    kind: Type.Union([Type.Literal('delayed'), Type.Literal('hidden')]),
    until: Type.Optional(Type.String()),
    ...decided,
  },
  { additionalProperties: false },
);

export const ReleaseView = Type.Object(
  { personalId: Type.String(), releaseId: Type.String(), holdId: Type.String(), releasedAt: Type.String(), releasedBy: Type.String(), decisionRef: Type.String() },
  { additionalProperties: false },
);

export const DefaultView = Type.Object(
  { requester: Type.String(), seq: Type.Integer(), kind: Type.Union([Type.Literal('shown'), Type.Literal('delayed'), Type.Literal('hidden')]), delayDays: Type.Optional(Type.Integer()), ...decided },
  { additionalProperties: false },
);
