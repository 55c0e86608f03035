/**
 * Names and addresses as Vietnamese people write them. Names keep their order (family name first)
 * and their diacritics; white space is tidied. Addresses run from the detail to the province,
 * separated by commas, with the country named only when it is not Viet Nam.
 */

/** A person's full name with single spaces; `upper` for the capitals printed on cards. */
export function formatName(name: string, options: { upper?: boolean } = {}): string {
  const tidy = name.normalize('NFC').trim().replace(/\s+/g, ' ');
  return options.upper ? tidy.toLocaleUpperCase('vi') : tidy;
}

export interface AddressParts {
  /** House number, street, hamlet: as written. */
  detail?: string;
  /** Unit names from the smallest to the province (commune, district, province), valid at the date shown. */
  units?: readonly string[];
  /** ISO 3166-1 alpha-2; Viet Nam when absent. */
  country?: string;
  /** The country's name in the reader's language, when not Viet Nam. */
  countryName?: string;
}

/** "12 Lý Thường Kiệt, Phường Hàng Bài, Quận Hoàn Kiếm, Thành phố Hà Nội". */
export function formatAddress(a: AddressParts): string {
  const parts = [a.detail, ...(a.units ?? [])].map((p) => (p ?? '').trim().replace(/\s+/g, ' ')).filter((p) => p.length > 0);
  if (a.country && a.country !== 'VN') parts.push(a.countryName?.trim() || a.country);
  return parts.join(', ');
}
