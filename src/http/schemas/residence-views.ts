/** Response schemas of the residence routes (what leaves is exactly what these list). */
import { Type } from '@sinclair/typebox';
import { Address } from '../../domain/citizen/citizen.js';
import { Relationship } from '../../domain/residence/household.js';
import { ApplicationStatus, Procedure } from '../../domain/residence/procedures.js';

const Free = Type.Record(Type.String(), Type.Unknown());

export const PlaceView = Type.Object({
  address: Address,
  asRegistered: Type.String({ description: 'With the unit names valid on the day it was registered' }),
  today: Type.Object({
    text: Type.String(),
    mapped: Type.Union([Type.Literal('none'), Type.Literal('one'), Type.Literal('split'), Type.Literal('unknown')], { description: 'How the 2025 reform reads the address today' }),
    candidates: Type.Optional(Type.Array(Type.Object({ code: Type.String(), fullName: Type.String() }))),
  }),
});

export const RegistrationView = Type.Object({
  seq: Type.Integer(),
  kind: Type.Union([Type.Literal('permanent'), Type.Literal('temporary'), Type.Literal('absence')]),
  kindName: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('ended'), Type.Literal('not_yet_valid')]),
  place: PlaceView,
  startOn: Type.String(),
  validUntil: Type.Optional(Type.String()),
  endedOn: Type.Optional(Type.String()),
  endReason: Type.Optional(Type.String()),
  endReasonName: Type.Optional(Type.String()),
  householdId: Type.Optional(Type.String()),
  relationship: Type.Optional(Relationship),
  relationshipName: Type.Optional(Type.String()),
  applicationId: Type.Optional(Type.String()),
  details: Type.Optional(Free),
});

export const CurrentResidence = Type.Object({
  personalId: Type.String(),
  resolvedFrom: Type.Optional(Type.Array(Type.String())),
  asOf: Type.String(),
  permanent: Type.Optional(RegistrationView),
  temporary: Type.Optional(RegistrationView),
  expiredTemporary: Type.Optional(RegistrationView),
  absence: Type.Optional(RegistrationView),
  livesAt: Type.Optional(Type.Composite([PlaceView, Type.Object({ basis: Type.Union([Type.Literal('temporary'), Type.Literal('permanent')]) })])),
  household: Type.Optional(Type.Object({ householdId: Type.String(), relationship: Relationship, relationshipName: Type.String() })),
});

const ResidenceEvent = Type.Object({
  personalId: Type.String(),
  revision: Type.Integer(),
  kind: Type.String(),
  actorId: Type.String(),
  at: Type.String(),
  applicationId: Type.Optional(Type.String()),
  details: Free,
});

export const ResidenceHistory = Type.Object({
  personalId: Type.String(),
  resolvedFrom: Type.Optional(Type.Array(Type.String())),
  registrations: Type.Array(RegistrationView),
  stayNotices: Type.Array(
    Type.Object({
      personalId: Type.String(),
      seq: Type.Integer(),
      place: PlaceView,
      host: Type.Object({ fullName: Type.String(), personalId: Type.Optional(Type.String()), phone: Type.Optional(Type.String()), closeRelative: Type.Optional(Type.String()), repeated: Type.Optional(Type.Boolean()) }),
      arrivalAt: Type.String(),
      departureOn: Type.String(),
      notifiedAt: Type.String(),
      onTime: Type.Boolean(),
      applicationId: Type.Optional(Type.String()),
    }),
  ),
  events: Type.Array(ResidenceEvent),
});

export const HouseholdView = Type.Object({
  householdId: Type.String(),
  residenceFileNumber: Type.String(),
  place: PlaceView,
  headPersonalId: Type.Union([Type.String(), Type.Null()]),
  dissolvedAt: Type.Optional(Type.String()),
  version: Type.Integer(),
  members: Type.Array(
    Type.Object({
      personalId: Type.String(),
      fullName: Type.String(),
      dateOfBirth: Type.String(),
      relationship: Relationship,
      relationshipName: Type.String(),
      joinedOn: Type.String(),
    }),
  ),
});

export const HouseholdHistory = Type.Object({
  householdId: Type.String(),
  entries: Type.Array(
    Type.Object({
      version: Type.Integer(),
      recordedAt: Type.String(),
      actorId: Type.String(),
      source: Type.String(),
      kind: Type.String(),
      reason: Type.Optional(Type.String()),
      applicationId: Type.Optional(Type.String()),
      changes: Free,
    }),
  ),
});

const Step = Type.Object({
  action: Type.String(),
  at: Type.String(),
  by: Type.String(),
  form: Type.Optional(Type.String({ description: 'CT04 receipt, CT05 request to complete the file, CT06 refusal' })),
  items: Type.Optional(Type.Array(Type.String())),
  note: Type.Optional(Type.String()),
});

export const ApplicationView = Type.Object({
  applicationId: Type.String(),
  procedure: Procedure,
  procedureName: Type.String(),
  tthc: Type.Union([Type.String(), Type.Null()], { description: 'Administrative procedure code, where published' }),
  status: ApplicationStatus,
  personalId: Type.String(),
  householdId: Type.Optional(Type.String()),
  unitCode: Type.Optional(Type.String()),
  submittedAt: Type.String(),
  submittedBy: Type.String(),
  receivedOn: Type.String({ description: 'The working day the (complete) file counts as received' }),
  deadline: Type.Optional(
    Type.Object({
      day: Type.String(),
      by: Type.Union([Type.Literal('noon'), Type.Literal('end_of_day')]),
      status: Type.Union(['due', 'due_soon', 'due_today', 'overdue', 'met', 'missed'].map((s) => Type.Literal(s))),
    }),
  ),
  request: Free,
  steps: Type.Array(Step),
  decidedAt: Type.Optional(Type.String()),
  decidedBy: Type.Optional(Type.String()),
  outcome: Type.Optional(Free),
  updatedAt: Type.String(),
});

export const ApplicationPage = Type.Object({ items: Type.Array(ApplicationView), nextCursor: Type.Optional(Type.String()) });
