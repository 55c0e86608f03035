/**
 * What each catalogue service does with a call, in terms of the registry's own functions. A
 * handler returns everything the service can return; the mechanism that serves every call
 * (serve.ts) cuts it down to the policy's fields. Connections in their test stage reach only
 * synthetic people (records made by the generator).
 */
import type { Address, Citizen } from '../../domain/citizen/citizen.js';
import { lifeStatusOf } from '../../domain/citizen/citizen.js';
import { dayOf } from '../../domain/dates/partial-date.js';
import { RegistryError } from '../../domain/errors/registry-error.js';
import type { ServiceCode } from '../../domain/exchange/catalogue.js';
import { matchDemographics, overallResult, type AttributeName } from '../../domain/exchange/demographic-match.js';
import type { PolicyMatching, ServiceGrant } from '../../domain/exchange/policy.js';
import type { VerifyRequest } from '../../domain/exchange/service-requests.js';
import { findCitizens, registrationSourceOf } from '../../store/repositories/citizens.js';
import type { CategoryCatalogue } from '../categories.js';
import { getCardStatus } from '../cards/lifecycle.js';
import { verifyLegacyId } from '../cards/qr.js';
import { getCitizen } from '../citizens/read.js';
import type { ServiceContext } from '../context.js';
import { confirmHouseholdHead, getCurrentResidence } from '../residence/queries.js';
import { importSubscriberLinks, submitSubscriberLink, type ImportOptions } from '../subscribers/index.js';

export interface Served {
  /** The people the call concerned (logged; later shown to them). */
  personalIds: string[];
  /** The answer before field filtering. */
  body: Record<string, unknown>;
  /** Top-level keys of `body` that are data fields subject to the policy (others are structure). */
  filter: 'top' | 'items' | 'none';
}

export interface HandlerContext {
  ctx: ServiceContext;
  catalogue: CategoryCatalogue;
  grant: ServiceGrant;
  /** The connection's partial-matching settings (verifyCitizen). */
  matching?: PolicyMatching;
  syntheticOnly: boolean;
  /** The calling connection's agency (provider services check its type). */
  agencyCode: string;
}

type Handler = (h: HandlerContext, request: any) => Promise<Served>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function requireSynthetic(h: HandlerContext, personalIds: readonly string[]): Promise<void> {
  if (!h.syntheticOnly) return;
  for (const id of personalIds) {
    const source = await registrationSourceOf(h.ctx.store.db, id);
    if (source !== undefined && source !== 'generator') throw new RegistryError('TEST_CONNECTION_REAL_DATA');
  }
}

type FieldOf = (c: Citizen, place: (a: Address | undefined) => unknown) => unknown;

/** The shareable fields of a record: codes as stored, addresses as text with their unit codes. */
const CITIZEN_FIELDS: Readonly<Record<string, FieldOf>> = {
  fullName: (c) => c.fullName,
  otherNames: (c) => c.otherNames,
  dateOfBirth: (c) => c.dateOfBirth,
  sex: (c) => c.sex,
  placeOfBirth: (c, place) => place(c.placeOfBirth),
  birthRegistrationPlace: (c, place) => place(c.birthRegistrationPlace),
  hometown: (c, place) => place(c.hometown),
  ethnicity: (c) => c.ethnicity,
  religion: (c) => c.religion,
  nationality: (c) => c.nationality,
  bloodGroup: (c) => c.bloodGroup,
  legacyIdNumber: (c) => c.legacyIdNumber,
  maritalStatus: (c) => c.maritalStatus,
  lifeStatus: (c) => lifeStatusOf(c),
  dateOfDeath: (c) => c.dateOfDeath,
  relatives: (c) => c.relatives,
  permanentResidence: (c, place) => place(c.permanentResidence),
  temporaryResidence: (c, place) => place(c.temporaryResidence),
  currentResidence: (c, place) => place(c.currentResidence),
  phone: (c) => c.phone,
  email: (c) => c.email,
};

/** The granted fields of a record, computed for those only (the policy cuts the answer again). */
function citizenFields(c: Citizen, catalogue: CategoryCatalogue, today: string, granted: readonly string[]): Record<string, unknown> {
  const place = (a: Address | undefined) => (a ? { ...a, text: catalogue.formatAddress(a, today).text } : undefined);
  const out: Record<string, unknown> = {};
  for (const f of granted) {
    const of = CITIZEN_FIELDS[f];
    if (of) out[f] = of(c, place);
  }
  return out;
}

function unitAncestors(catalogue: CategoryCatalogue) {
  return (code: string): string[] => {
    const out: string[] = [];
    for (const set of ['2025', 'pre2025'] as const) {
      let unit = catalogue.unit(set, code);
      while (unit && out.length < 4) {
        out.push(unit.code);
        unit = unit.parentCode ? catalogue.unit(set, unit.parentCode) : undefined;
      }
      if (out.length > 0) break;
    }
    return out;
  };
}

export const HANDLERS: Readonly<Record<ServiceCode, Handler>> = {
  async lookupCitizen(h, r: { personalId: string }) {
    await requireSynthetic(h, [r.personalId]);
    const { citizen } = await getCitizen(h.ctx, r.personalId);
    return { personalIds: [citizen.personalId], body: { personalId: citizen.personalId, ...citizenFields(citizen, h.catalogue, dayOf(h.ctx.clock.now()), h.grant.fields) }, filter: 'top' };
  },
  async batchLookupCitizens(h, r: { personalIds: string[] }) {
    const asked = [...new Set(r.personalIds)];
    await requireSynthetic(h, asked);
    const today = dayOf(h.ctx.clock.now());
    const found = await findCitizens(h.ctx.store.db, asked);
    const have = new Set(found.map((c) => c.personalId));
    return {
      personalIds: found.map((c) => c.personalId),
      body: { items: found.map((c) => ({ personalId: c.personalId, ...citizenFields(c, h.catalogue, today, h.grant.fields) })), notFound: asked.filter((id) => !have.has(id)) },
      filter: 'items',
    };
  },
  async authenticateLegacyId(h, r: { personalId: string; legacyIdNumber: string }) {
    await requireSynthetic(h, [r.personalId]);
    return { personalIds: [r.personalId], body: { personalId: r.personalId, match: await verifyLegacyId(h.ctx, r.personalId, r.legacyIdNumber) }, filter: 'top' };
  },
  async confirmHouseholdHead(h, r: { personalId: string; householdId?: string; memberPersonalId?: string }) {
    await requireSynthetic(h, [r.personalId, ...(r.memberPersonalId ? [r.memberPersonalId] : [])]);
    const a = await confirmHouseholdHead(h.ctx, r);
    return { personalIds: [r.personalId, ...(r.memberPersonalId ? [r.memberPersonalId] : [])], body: { personalId: r.personalId, isHead: a.isHead }, filter: 'top' };
  },
  async getResidenceInformation(h, r: { personalId: string }) {
    await requireSynthetic(h, [r.personalId]);
    const cur = await getCurrentResidence(h.ctx, h.catalogue, r.personalId);
    const text = (v: { place: { today: { text: string } } } | undefined) => v?.place.today.text;
    return {
      personalIds: [cur.personalId],
      body: {
        personalId: cur.personalId,
        permanentResidence: text(cur.permanent),
        temporaryResidence: cur.temporary ? { text: text(cur.temporary), validUntil: cur.temporary.validUntil } : undefined,
        livesAt: cur.livesAt?.today.text,
        householdId: cur.household?.householdId,
        relationshipToHead: cur.household?.relationship,
      },
      filter: 'top',
    };
  },
  async getCardStatus(h, r: { personalId: string }) {
    await requireSynthetic(h, [r.personalId]);
    const report = await getCardStatus(h.ctx, r.personalId);
    const card = report.current;
    return {
      personalIds: [report.personalId],
      body: card
        ? { personalId: report.personalId, generation: card.generation, cardNumber: card.cardNo, issueDate: card.issueDate, expiryDate: card.expiryDate ?? null, status: card.status }
        : { personalId: report.personalId, status: 'none' },
      filter: 'top',
    };
  },
  // Provider services (decision 0039): the register checks the agency is a telecom operator.
  async submitSubscriberLink(h, r: Record<string, unknown>) {
    const a = await submitSubscriberLink(h.ctx, h.agencyCode, r);
    return { personalIds: [a.personalId], body: a, filter: 'none' };
  },
  async importSubscriberLinks(h, r: Omit<ImportOptions, 'operator'>) {
    const report = await importSubscriberLinks(h.ctx, { ...r, operator: h.agencyCode, rejectLimit: 1000 });
    // The lines' people are not listed in the call's entry: each change is its own committed row.
    return { personalIds: [], body: report as unknown as Record<string, unknown>, filter: 'none' };
  },
  async verifyCitizen(h, r: VerifyRequest) {
    const claimed = Object.keys(r.attributes) as AttributeName[];
    const outside = claimed.filter((a) => !h.grant.fields.includes(a));
    if (outside.length > 0) throw new RegistryError('ATTRIBUTE_NOT_ALLOWED', { fields: outside.map((a) => ({ field: `attributes/${a}`, code: 'ATTRIBUTE_NOT_ALLOWED', message: `${a} is not in the policy` })) });
    await requireSynthetic(h, [r.personalId]);
    const { citizen: c } = await getCitizen(h.ctx, r.personalId);
    const results = matchDemographics(r.attributes, {
      fullName: c.fullName,
      otherNames: c.otherNames,
      dateOfBirth: c.dateOfBirth,
      sex: c.sex,
      nationality: c.nationality,
      ...(c.legacyIdNumber ? { legacyIdNumber: c.legacyIdNumber } : {}),
      ...(c.phone ? { phone: c.phone } : {}),
      ...(c.email ? { email: c.email } : {}),
      addresses: [c.permanentResidence, c.temporaryResidence, c.currentResidence].filter((a): a is Address => a !== undefined),
      unitAncestors: unitAncestors(h.catalogue),
    }, {
      ...(h.matching?.partialThreshold !== undefined ? { partialThreshold: h.matching.partialThreshold } : {}),
      ...(h.matching?.allowPartial !== undefined ? { allowPartial: h.matching.allowPartial } : {}),
    });
    return { personalIds: [c.personalId], body: { personalId: r.personalId, result: overallResult(results), results }, filter: 'none' };
  },
};
