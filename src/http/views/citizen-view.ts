/**
 * How a citizen is shown over HTTP: the record, each address with its unit names as valid at the
 * date in question, and the derived life status.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Address, Citizen, lifeStatusOf } from '../../domain/citizen/citizen.js';
import type { CategoryCatalogue } from '../../services/categories.js';

export const AddressView = Type.Composite([
  Address,
  Type.Object({
    text: Type.String({ description: 'Detail and unit names as valid at the date in question' }),
    historical: Type.Boolean({ description: 'True when the unit list was no longer in force at that date' }),
  }),
]);
export type AddressView = Static<typeof AddressView>;

const ADDRESS_KEYS = ['placeOfBirth', 'birthRegistrationPlace', 'hometown', 'permanentResidence', 'temporaryResidence', 'currentResidence'] as const;

export const CitizenView = Type.Composite([
  Type.Omit(Citizen, [...ADDRESS_KEYS]),
  Type.Object({
    placeOfBirth: AddressView,
    birthRegistrationPlace: AddressView,
    hometown: AddressView,
    permanentResidence: Type.Optional(AddressView),
    temporaryResidence: Type.Optional(AddressView),
    currentResidence: Type.Optional(AddressView),
    lifeStatus: Type.Union([Type.Literal('alive'), Type.Literal('deceased'), Type.Literal('missing')]),
    resolvedFrom: Type.Optional(
      Type.Array(Type.String(), { description: 'Cancelled personal IDs that led to this record, when asked by an old number' }),
    ),
  }),
]);
export type CitizenView = Static<typeof CitizenView>;

export function citizenView(c: Citizen, catalogue: CategoryCatalogue, date: string, resolvedFrom?: string[]): CitizenView {
  // Built as one literal (not spread-then-patched) so the object keeps a fixed shape: this runs on
  // every citizen read.
  const show = (a: Address | undefined): AddressView | undefined => {
    if (!a) return undefined;
    const { text, historical } = catalogue.formatAddress(a, date);
    // Absent parts stay undefined, which the response serialiser omits.
    return { country: a.country, unitSet: a.unitSet, unitCode: a.unitCode, detail: a.detail, text, historical };
  };
  return Object.assign({}, c, {
    placeOfBirth: show(c.placeOfBirth)!,
    birthRegistrationPlace: show(c.birthRegistrationPlace)!,
    hometown: show(c.hometown)!,
    permanentResidence: show(c.permanentResidence),
    temporaryResidence: show(c.temporaryResidence),
    currentResidence: show(c.currentResidence),
    lifeStatus: lifeStatusOf(c),
    resolvedFrom: resolvedFrom?.length ? resolvedFrom : undefined,
  });
}
