/**
 * The category of places closed to new registration (Luật Cư trú Art. 23), as the authorities
 * maintain it: an entry names an address, the clause of Art. 23, the decision behind it, the day it
 * applies from and, once lifted, the day it stopped. Pure: matching an address and the validity on a day.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Address } from '../citizen/citizen.js';
import { foldKey } from '../text/normalize.js';
import { PROHIBITED_PLACE_GROUNDS, type ProhibitedPlace, type ProhibitedPlaceGround } from './conditions.js';

const GROUND_CODES = Object.keys(PROHIBITED_PLACE_GROUNDS) as ProhibitedPlaceGround[];
export const ProhibitedPlaceGroundSchema = Type.Union(GROUND_CODES.map((g) => Type.Literal(g)), { description: 'The clause of Art. 23 that closes the place' });

const Day = Type.String({ format: 'date' });
const Decision = Type.String({ minLength: 1, maxLength: 300, description: 'The decision (number, date, issuer) that puts the place under Art. 23' });

export const ProhibitedPlaceRequest = Type.Object(
  { address: Address, ground: ProhibitedPlaceGroundSchema, decision: Decision, validFrom: Day },
  { additionalProperties: false },
);
export type ProhibitedPlaceRequest = Static<typeof ProhibitedPlaceRequest>;

export const PlaceLiftingRequest = Type.Object({ liftedOn: Day, decision: Decision }, { additionalProperties: false });
export type PlaceLiftingRequest = Static<typeof PlaceLiftingRequest>;

export interface ProhibitedPlaceEntry extends ProhibitedPlace {
  placeId: string;
  address: Address;
  validFrom: string;
  liftedOn?: string;
  liftDecision?: string;
}

/**
 * The key an address is matched by: its unit list, commune and folded detail ("Số 5 phố Đội Cấn" and
 * "so 5  pho doi can" are one place). An address with no detail matches no entry: Art. 23 closes a
 * place (a dwelling, a plot), not a whole commune.
 */
export function placeKey(a: Address): string | undefined {
  const detail = a.detail ? foldKey(a.detail) : '';
  if (!a.unitCode || !detail || (a.country !== undefined && a.country !== 'VN')) return undefined;
  return `${a.unitSet ?? ''}|${a.unitCode}|${detail}`;
}

/** Who hosts a stay, for matching notices: the personal ID when given, else the folded name. */
export const hostKeyOf = (host: { fullName: string; personalId?: string }): string => host.personalId ?? `name:${foldKey(host.fullName)}`;

/** In force on `day`: from its first day, until (not including) the day it was lifted. */
export const placeInForce = (p: Pick<ProhibitedPlaceEntry, 'validFrom' | 'liftedOn'>, day: string): boolean =>
  p.validFrom <= day && (p.liftedOn === undefined || day < p.liftedOn);
