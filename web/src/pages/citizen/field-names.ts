/**
 * The fields a use released, named as a citizen reads them (the API gives the record's property
 * names). A field with no name here is shown as the API wrote it rather than hidden. Pure.
 */
import type { Lang } from '../../i18n/messages.js';

const NAMES: Readonly<Record<string, { vi: string; en: string }>> = {
  personalId: { vi: 'Số định danh', en: 'Personal ID' },
  fullName: { vi: 'Họ tên', en: 'Full name' },
  otherNames: { vi: 'Tên gọi khác', en: 'Other names' },
  dateOfBirth: { vi: 'Ngày sinh', en: 'Date of birth' },
  sex: { vi: 'Giới tính', en: 'Sex' },
  ethnicity: { vi: 'Dân tộc', en: 'Ethnic group' },
  religion: { vi: 'Tôn giáo', en: 'Religion' },
  nationality: { vi: 'Quốc tịch', en: 'Nationality' },
  bloodGroup: { vi: 'Nhóm máu', en: 'Blood group' },
  maritalStatus: { vi: 'Tình trạng hôn nhân', en: 'Marital status' },
  legacyIdNumber: { vi: 'Số CMND cũ', en: 'Old ID number' },
  placeOfBirth: { vi: 'Nơi sinh', en: 'Place of birth' },
  birthRegistrationPlace: { vi: 'Nơi đăng ký khai sinh', en: 'Birth registration place' },
  hometown: { vi: 'Quê quán', en: 'Hometown' },
  permanentResidence: { vi: 'Nơi thường trú', en: 'Permanent residence' },
  temporaryResidence: { vi: 'Nơi tạm trú', en: 'Temporary residence' },
  currentResidence: { vi: 'Nơi ở hiện tại', en: 'Current place of living' },
  relatives: { vi: 'Thân nhân', en: 'Relatives' },
  phone: { vi: 'Số điện thoại', en: 'Phone' },
  email: { vi: 'Thư điện tử', en: 'E-mail' },
  dateOfDeath: { vi: 'Ngày mất', en: 'Date of death' },
  dateDeclaredMissing: { vi: 'Ngày tuyên bố mất tích', en: 'Date declared missing' },
  lifeStatus: { vi: 'Tình trạng sống', en: 'Life status' },
  cardNo: { vi: 'Số thẻ', en: 'Card number' },
  householdId: { vi: 'Số hồ sơ cư trú', en: 'Residence file number' },
};

/** The fields that have a name here. */
export const NAMED_FIELDS: readonly string[] = Object.keys(NAMES);

export function fieldName(field: string, lang: Lang): string {
  return Object.hasOwn(NAMES, field) ? NAMES[field]![lang] : field;
}

/** The fields as one line, named fields first in the order given, the rest after them. */
export function fieldList(fields: readonly string[], lang: Lang): string {
  const named = fields.filter((f) => Object.hasOwn(NAMES, f));
  const other = fields.filter((f) => !Object.hasOwn(NAMES, f));
  return [...named, ...other].map((f) => fieldName(f, lang)).join(', ');
}
