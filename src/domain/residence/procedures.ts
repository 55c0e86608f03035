/**
 * Residence procedures as applications: their codes (TTHC), legal periods, the application
 * lifecycle (submitted → CT05 request for documents → submitted again → approved, or refused with
 * a CT06), the consent model and the legal reasons for deregistration.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ruleSetOn } from './rule-sets.js';
import type { ResidenceKind } from './time-rules.js';
import type { WorkingPeriod } from './working-days.js';

/**
 * Each procedure: its URL and CLI name (slug), TTHC code as published (vn-domain §4.3; null where
 * the sources found give none), Vietnamese name and API operationId.
 */
export const PROCEDURES = {
  permanent_registration: { slug: 'permanent-registrations', tthc: '1.004222', vi: 'Đăng ký thường trú', operationId: 'registerPermanentResidence' },
  temporary_registration: { slug: 'temporary-registrations', tthc: '1.004194', vi: 'Đăng ký tạm trú', operationId: 'registerTemporaryResidence' },
  temporary_extension: { slug: 'temporary-extensions', tthc: '1.002755', vi: 'Gia hạn tạm trú', operationId: 'extendTemporaryResidence' },
  household_split: { slug: 'household-splits', tthc: null, vi: 'Tách hộ', operationId: 'splitHousehold' },
  deregistration: { slug: 'deregistrations', tthc: null, vi: 'Xóa đăng ký thường trú / tạm trú', operationId: 'deregisterResidence' },
  information_adjustment: { slug: 'adjustments', tthc: null, vi: 'Điều chỉnh thông tin về cư trú', operationId: 'adjustResidenceInformation' },
  stay_notice: { slug: 'stay-notices', tthc: '2.001159', vi: 'Thông báo lưu trú', operationId: 'notifyStay' },
  absence_declaration: { slug: 'absence-declarations', tthc: '1.003677', vi: 'Khai báo tạm vắng', operationId: 'declareAbsence' },
} as const satisfies Record<string, { slug: string; tthc: string | null; vi: string; operationId: string }>;
export type Procedure = keyof typeof PROCEDURES;
export const PROCEDURE_CODES = Object.keys(PROCEDURES) as Procedure[];
export const Procedure = Type.Union(PROCEDURE_CODES.map((p) => Type.Literal(p)));

/**
 * The legal period of a procedure for an application received on `receivedOn`, by the rule set in
 * force that day (rule-sets.ts), or null for the stay notice, which is received and recorded at once.
 */
export function periodOf(procedure: Procedure, receivedOn: string, complex = false): WorkingPeriod | null {
  const p = ruleSetOn(receivedOn).periods;
  switch (procedure) {
    case 'permanent_registration': return p.permanentRegistration;
    case 'temporary_registration': return p.temporaryRegistration;
    case 'temporary_extension': return p.temporaryResidenceExtension;
    case 'household_split': return p.householdSplit;
    case 'deregistration': return p.deregistration;
    case 'information_adjustment': return p.informationAdjustment;
    case 'absence_declaration': return complex ? p.absenceDeclarationComplex : p.absenceDeclaration;
    case 'stay_notice': return null;
  }
}

// ---------------------------------------------------------------- lifecycle

export const ApplicationStatus = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('documents_requested'),
  Type.Literal('approved'),
  Type.Literal('refused'),
]);
export type ApplicationStatus = Static<typeof ApplicationStatus>;

export type ApplicationAction = 'request_documents' | 'supply_documents' | 'approve' | 'refuse';

const TRANSITIONS: Record<ApplicationStatus, Partial<Record<ApplicationAction, ApplicationStatus>>> = {
  submitted: { request_documents: 'documents_requested', approve: 'approved', refuse: 'refused' },
  // A file still incomplete may be refused; it cannot be approved before the documents come in.
  documents_requested: { supply_documents: 'submitted', refuse: 'refused' },
  approved: {},
  refused: {},
};

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextStatus(status: ApplicationStatus, action: ApplicationAction): ApplicationStatus | null {
  return TRANSITIONS[status][action] ?? null;
}

export const isOpen = (status: ApplicationStatus): boolean => status === 'submitted' || status === 'documents_requested';

// ---------------------------------------------------------------- consent

export const ConsentRole = Type.Union([Type.Literal('household_head'), Type.Literal('owner'), Type.Literal('parent_guardian')]);
export type ConsentRole = Static<typeof ConsentRole>;

/** How consent was given (CT01): signing the form, confirming in VNeID, or a separate written note. */
export const ConsentMethod = Type.Union([Type.Literal('signature'), Type.Literal('eid_app'), Type.Literal('written_note')]);
export type ConsentMethod = Static<typeof ConsentMethod>;

export const Consent = Type.Object(
  {
    role: ConsentRole,
    method: ConsentMethod,
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    personalId: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
    givenOn: Type.Optional(Type.String({ format: 'date' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type Consent = Static<typeof Consent>;

// ---------------------------------------------------------------- lawful residence

export const LawfulResidenceKind = Type.Union([
  Type.Literal('owned'),
  Type.Literal('rented'),
  Type.Literal('borrowed'),
  Type.Literal('relative_dwelling'),
  Type.Literal('religious_facility'),
  Type.Literal('care_facility'),
  Type.Literal('vehicle_or_boat'),
  Type.Literal('military_unit'),
]);
export type LawfulResidenceKind = Static<typeof LawfulResidenceKind>;

/** Whose dwelling it is decides whose consent is needed: the owner's unless the applicant owns it. */
export const LawfulResidence = Type.Object(
  {
    kind: LawfulResidenceKind,
    ownerPersonalId: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
    ownerName: Type.Optional(Type.String({ maxLength: 200 })),
    proof: Type.Optional(Type.String({ maxLength: 500, description: 'The document shown, when the registry cannot verify it itself' })),
    floorAreaM2: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'Floor area of the dwelling in m² (Art. 20(3)(b): needed for permanent registration in a rented, borrowed or lodged dwelling)' })),
    registeredResidents: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'People who will be registered at the dwelling, the applicant included, when it is not a household the registry already knows' })),
  },
  { additionalProperties: false },
);
export type LawfulResidence = Static<typeof LawfulResidence>;

/** Kinds that are never the applicant's own dwelling (Art. 20(2)–(3), 28(1)). */
export const NEEDS_OWNER_CONSENT: ReadonlySet<LawfulResidenceKind> = new Set(['rented', 'borrowed', 'relative_dwelling']);
/** Kinds whose permanent registration needs the council's minimum floor area per person (Art. 20(3)(b): "thuê, mượn, ở nhờ"). */
export const NEEDS_FLOOR_AREA: ReadonlySet<LawfulResidenceKind> = new Set(['rented', 'borrowed']);

// ---------------------------------------------------------------- deregistration

/** Art. 24(1) (permanent) and the temporary-residence triggers, with the words of the law. */
export const DEREGISTRATION_REASONS = {
  death: { kinds: ['permanent', 'temporary'], vi: 'Chết, bị Tòa án tuyên bố là đã chết', basis: 'Luật Cư trú Art. 24(1)(a)' },
  declared_missing: { kinds: ['permanent', 'temporary'], vi: 'Bị Tòa án tuyên bố mất tích', basis: 'Luật Cư trú Art. 24(1)(a)' },
  emigration: { kinds: ['permanent'], vi: 'Ra nước ngoài để định cư', basis: 'Luật Cư trú Art. 24(1)(b)' },
  annulment: { kinds: ['permanent', 'temporary'], vi: 'Đã có quyết định hủy bỏ đăng ký', basis: 'Luật Cư trú Art. 24(1)(c), Art. 35' },
  absence: { kinds: ['permanent', 'temporary'], vi: 'Vắng mặt liên tục không đăng ký tạm trú hoặc khai báo tạm vắng', basis: 'Luật Cư trú Art. 24(1)(d), Art. 29' },
  citizenship_lost: { kinds: ['permanent', 'temporary'], vi: 'Bị tước quốc tịch, thôi quốc tịch', basis: 'Luật Cư trú Art. 24(1)(đ)' },
  rental_ended: { kinds: ['permanent', 'temporary'], vi: 'Đã chấm dứt việc thuê, mượn, ở nhờ (thường trú: sau 12 tháng vẫn chưa đăng ký thường trú ở chỗ ở mới)', basis: 'Luật Cư trú Art. 24(1)(e), Art. 29(1)' },
  ownership_transferred: { kinds: ['permanent', 'temporary'], vi: 'Quyền sở hữu chỗ ở đã chuyển cho người khác (thường trú: sau 12 tháng), trừ khi chủ sở hữu mới đồng ý', basis: 'Luật Cư trú Art. 24(1)(g), Art. 29(1)' },
  rental_ended_no_consent: { kinds: ['permanent'], vi: 'Đã chấm dứt việc thuê, mượn, ở nhờ và không được người cho thuê, cho mượn, cho ở nhờ đồng ý cho giữ đăng ký thường trú', basis: 'Luật Cư trú Art. 24(1)(h)' },
  ownership_transferred_no_consent: { kinds: ['permanent'], vi: 'Đã chuyển quyền sở hữu chỗ ở cho người khác và không được chủ sở hữu mới đồng ý cho giữ đăng ký thường trú', basis: 'Luật Cư trú Art. 24(1)(h)' },
  dwelling_demolished_or_confiscated: { kinds: ['permanent', 'temporary'], vi: 'Chỗ ở đã bị phá dỡ, tịch thu theo quyết định của cơ quan nhà nước có thẩm quyền hoặc phương tiện đã bị xóa đăng ký', basis: 'Luật Cư trú Art. 24(1)(i), Art. 29(1)' },
  permanent_here: { kinds: ['temporary'], vi: 'Đã được đăng ký thường trú tại chính nơi tạm trú', basis: 'Luật Cư trú Art. 29' },
} as const satisfies Record<string, { kinds: readonly ResidenceKind[]; vi: string; basis: string }>;
export type DeregistrationReason = keyof typeof DEREGISTRATION_REASONS;
export const DEREGISTRATION_REASON_CODES = Object.keys(DEREGISTRATION_REASONS) as DeregistrationReason[];
export const DeregistrationReason = Type.Union(DEREGISTRATION_REASON_CODES.map((r) => Type.Literal(r)));

export function reasonAppliesTo(reason: DeregistrationReason, kind: ResidenceKind): boolean {
  return (DEREGISTRATION_REASONS[reason].kinds as readonly ResidenceKind[]).includes(kind);
}

/**
 * Why a registration ended when it was not a deregistration: a later registration took its place,
 * or the address was renamed (a new row continues it, so the history keeps the old name).
 */
export type EndReason = DeregistrationReason | 'new_permanent_registration' | 'new_temporary_registration' | 'address_renamed' | 'absence_ended';

// ---------------------------------------------------------------- absence declaration

/** Art. 31(1): who must declare absence. (c)(d) are only partly known (vn-domain §4.3). */
export const ABSENCE_GROUNDS = {
  accused_on_bail: { vi: 'Bị can, bị cáo đang tại ngoại', needsAuthorityConsent: true },
  suspended_sentence: { vi: 'Người bị kết án phạt tù được hưởng án treo, hoãn, tạm đình chỉ chấp hành án', needsAuthorityConsent: true },
  administrative_measure: { vi: 'Người bị áp dụng biện pháp giáo dục tại xã, phường, thị trấn hoặc hoãn, tạm đình chỉ biện pháp bắt buộc', needsAuthorityConsent: true },
  military_service_age: { vi: 'Người trong độ tuổi thực hiện nghĩa vụ quân sự đi khỏi nơi cư trú từ 03 tháng liên tục trở lên', needsAuthorityConsent: false },
  other_long_absence: { vi: 'Người đi khỏi nơi thường trú từ 12 tháng liên tục trở lên', needsAuthorityConsent: false },
} as const;
export type AbsenceGround = keyof typeof ABSENCE_GROUNDS;

/**
 * Art. 30: "Trường hợp ông, bà, cha, mẹ, vợ, chồng, con, cháu, anh, chị, em ruột đến lưu trú nhiều
 * lần thì chỉ cần thông báo lưu trú một lần." What the stayer is to the host.
 */
export const CLOSE_RELATIVES = {
  grandparent: 'Ông, bà', parent: 'Cha, mẹ', spouse: 'Vợ, chồng', child: 'Con', grandchild: 'Cháu', sibling: 'Anh, chị, em ruột',
} as const;
export type CloseRelative = keyof typeof CLOSE_RELATIVES;
export const CloseRelative = Type.Union((Object.keys(CLOSE_RELATIVES) as CloseRelative[]).map((r) => Type.Literal(r)));

/**
 * Art. 24(1)(d): an absence of 12 months does not end permanent residence "trừ trường hợp xuất cảnh
 * ra nước ngoài nhưng không phải để định cư hoặc trường hợp đang chấp hành án phạt tù, chấp hành
 * biện pháp đưa vào cơ sở giáo dục bắt buộc, đưa vào cơ sở cai nghiện bắt buộc, đưa vào trường giáo dưỡng".
 */
export const ABSENCE_EXCEPTIONS = {
  abroad_not_to_settle: 'Xuất cảnh ra nước ngoài nhưng không phải để định cư',
  serving_prison_sentence: 'Đang chấp hành án phạt tù',
  compulsory_education_facility: 'Đang chấp hành biện pháp đưa vào cơ sở giáo dục bắt buộc',
  compulsory_rehabilitation: 'Đang chấp hành biện pháp đưa vào cơ sở cai nghiện bắt buộc',
  reformatory: 'Đang chấp hành biện pháp đưa vào trường giáo dưỡng',
} as const;
export type AbsenceException = keyof typeof ABSENCE_EXCEPTIONS;
export const AbsenceException = Type.Union((Object.keys(ABSENCE_EXCEPTIONS) as AbsenceException[]).map((g) => Type.Literal(g)));
export const AbsenceGround = Type.Union((Object.keys(ABSENCE_GROUNDS) as AbsenceGround[]).map((g) => Type.Literal(g)));
