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
  // What a written request about the person shows (GET /me/written-requests and the officers' lists).
  requestId: { vi: 'Số yêu cầu', en: 'Request number' },
  status: { vi: 'Trạng thái', en: 'Status' },
  channel: { vi: 'Hình thức nộp', en: 'How it was submitted' },
  receivedAt: { vi: 'Thời điểm tiếp nhận', en: 'Time received' },
  receivedOn: { vi: 'Ngày tiếp nhận', en: 'Date received' },
  requester: { vi: 'Người yêu cầu', en: 'Requester' },
  fields: { vi: 'Thông tin được yêu cầu', en: 'Data asked for' },
  purpose: { vi: 'Mục đích', en: 'Purpose' },
  consentRequired: { vi: 'Cần sự đồng ý', en: 'Consent needed' },
  recordedBy: { vi: 'Cán bộ tiếp nhận', en: 'Officer who recorded it' },
  scan: { vi: 'Bản quét văn bản', en: 'Scanned letter' },
  deadline: { vi: 'Hạn giải quyết', en: 'Deadline' },
  decidedAt: { vi: 'Thời điểm quyết định', en: 'Time decided' },
  decidedBy: { vi: 'Cán bộ quyết định', en: 'Officer who decided' },
  reasons: { vi: 'Lý do', en: 'Reasons' },
  certificateNumber: { vi: 'Số văn bản trả lời', en: 'Reply letter number' },
  events: { vi: 'Quá trình xử lý', en: 'Steps taken' },
  asSeen: { vi: 'Liên quan đến bạn', en: 'How it concerns you' },
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
