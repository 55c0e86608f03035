/**
 * What a citizen's SMS command reads, and the reply it makes (issue 14 item 4): the data is read
 * through the existing services (citizens, residence, cards, the usage view), turned into the pure
 * reply texts of domain/sms/replies.ts, with the people and fields the use concerns (the recording
 * mechanism records them).
 */
import type { SmsCommandName } from '../../domain/sms/help.js';
import { USAGE_ITEMS } from '../../domain/sms/help.js';
import { cardReply, helpReply, householdReply, identityReply, residenceReply, usageReply, type PlaceFacts, type ResidenceFacts, type ResidencePart } from '../../domain/sms/replies.js';
import { isRegistryError } from '../../domain/errors/registry-error.js';
import { localDay } from '../../domain/residence/working-days.js';
import type { Citizen } from '../../domain/citizen/citizen.js';
import type { UsageKind } from '../../domain/accountability/usage.js';
import type { CategoryCatalogue } from '../categories.js';
import type { ServiceContext } from '../context.js';
import { getCurrentResidence, getHouseholdOf, type RegistrationView } from '../residence/queries.js';
import { getCardStatus } from '../cards/lifecycle.js';
import { usageOf, type UsageItem } from '../accountability/citizen-usage.js';

export interface SmsAnswer {
  text: string;
  /** Everyone whose data the reply carries (the citizen first). */
  people: string[];
  /** The fields released, as the recording mechanism lists them. */
  fields: string[];
}

const RESIDENCE_PARTS: Partial<Record<SmsCommandName, ResidencePart[]>> = {
  residence: ['permanent', 'temporary', 'current'],
  permanent: ['permanent'],
  temporary: ['temporary'],
  current: ['current'],
};
const RESIDENCE_FIELDS: Record<ResidencePart, string> = { permanent: 'permanentResidence', temporary: 'temporaryResidence', current: 'currentResidence' };

/** How the usage reply names who used the data. */
const KIND_LABELS: Record<UsageKind, string> = { exchange: 'Cơ quan', officer: 'Cán bộ', inspector: 'Thanh tra', system: 'Hệ thống', citizen: 'Công dân' };

export async function answerCommand(ctx: ServiceContext, catalogue: CategoryCatalogue, citizen: Citizen, command: SmsCommandName): Promise<SmsAnswer> {
  const self = citizen.personalId;
  const parts = RESIDENCE_PARTS[command];
  if (parts) {
    return { text: residenceReply(await residenceFacts(ctx, catalogue, citizen), parts), people: [self], fields: parts.map((p) => RESIDENCE_FIELDS[p]) };
  }
  switch (command) {
    case 'identity':
      return { text: identityReply(citizen), people: [self], fields: ['fullName', 'dateOfBirth', 'personalId', 'legacyIdNumber'] };
    case 'household': {
      const h = await getHouseholdOf(ctx, catalogue, { personalId: self }).catch((e: unknown) => {
        if (isRegistryError(e) && e.code === 'NOT_IN_A_HOUSEHOLD') return undefined;
        throw e;
      });
      if (!h) return { text: householdReply(undefined), people: [self], fields: ['household'] };
      const head = h.members.find((m) => m.relationship === 'head');
      const text = householdReply({
        place: h.place.today.text,
        head: head?.fullName,
        members: h.members.filter((m) => m !== head).map((m) => ({ fullName: m.fullName, relationship: m.relationshipName })),
      });
      // The members' names and relationships are their data too: the use concerns them.
      return { text, people: [self, ...h.members.map((m) => m.personalId).filter((id) => id !== self)], fields: ['household', 'members.fullName', 'members.relationship'] };
    }
    case 'card': {
      const report = await getCardStatus(ctx, self);
      const card = report.current ?? report.cards.at(-1);
      const facts = card ? { card: { generation: card.generation, cardNo: card.cardNo, issueDate: card.issueDate, expiryDate: card.expiryDate, status: card.status } } : {};
      return { text: cardReply(facts), people: [self], fields: ['cards'] };
    }
    case 'usage': {
      const { items } = await usageOf(ctx, self, { limit: USAGE_ITEMS });
      return { text: usageReply({ items: items.map((u) => ({ at: u.at, who: whoOf(u), what: u.description, refused: u.outcome === 'refused' })) }), people: [self], fields: ['usage'] };
    }
    default:
      return { text: helpReply(), people: [], fields: [] };
  }
}

function whoOf(u: UsageItem): string {
  return u.agencyName ?? u.agencyCode ?? u.unit ?? KIND_LABELS[u.kind];
}

function placeOf(v: RegistrationView | undefined): PlaceFacts | undefined {
  return v ? { text: v.place.today.text, from: v.startOn, until: v.validUntil } : undefined;
}

/**
 * Residence from the registrations in force; a person without any (records imported before the
 * residence register) is answered from the addresses on their record.
 */
async function residenceFacts(ctx: ServiceContext, catalogue: CategoryCatalogue, c: Citizen): Promise<ResidenceFacts> {
  const r = await getCurrentResidence(ctx, catalogue, c.personalId);
  if (r.permanent || r.temporary || r.expiredTemporary) {
    return { permanent: placeOf(r.permanent), temporary: placeOf(r.temporary), current: r.livesAt ? { text: r.livesAt.today.text } : undefined };
  }
  const today = localDay(ctx.clock.now().toISOString());
  const text = (a: Citizen['permanentResidence']): PlaceFacts | undefined => (a ? { text: catalogue.formatAddress(a, today).text } : undefined);
  return { permanent: text(c.permanentResidence), temporary: text(c.temporaryResidence), current: text(c.currentResidence ?? c.temporaryResidence ?? c.permanentResidence) };
}
