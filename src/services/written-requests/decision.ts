/**
 * The competent officer's decision on a written request (NĐ 70/2024 Art. 10(2); decision 0040):
 * provide — a reply letter in Vietnamese carrying the data asked, numbered, signed and verifiable
 * like every certificate (services/certificates.ts) — or refuse with written reasons, in a signed
 * refusal letter too. A refusal of consent by the subject refuses the request the same way.
 * The letter's lines are fixed when it is issued; the PDF is drawn from them in the worker pool.
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { dateVi, dayOf } from '../../domain/dates/partial-date.js';
import type { CategoryKind } from '../../domain/categories/category-lists.js';
import {
  cleanReasons, nextStatus, refusalLines, replyLines, requestLines, requesterLine, SUBJECT_REFUSED_REASON,
  type FieldGroup, type LetterLine,
} from '../../domain/written-requests/rules.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { findPrincipal } from '../../store/repositories/principals.js';
import { findWrittenRequest, type StoredWrittenRequest } from '../../store/repositories/written-requests.js';
import type { Db } from '../../store/schema.js';
import type { CategoryCatalogue } from '../categories.js';
import { certificatePdf, getCertificate, holderLines, recordCertificate, type CertificateKind, type CertificateView } from '../certificates.js';
import type { Actor, Role, ServiceContext } from '../context.js';
import type { SigningKeys } from '../signing-keys.js';
import { getCardStatus } from '../cards/lifecycle.js';
import { getCurrentResidence, getHouseholdOf } from '../residence/queries.js';
import { usageOf } from '../accountability/citizen-usage.js';
import { getCurrent } from '../citizens/change.js';
import { answerStep, stepRequest, type ConsentAnswerChannel, type WrittenRequestView } from './requests.js';

const name = (catalogue: CategoryCatalogue, kind: CategoryKind, code: string) => catalogue.list(kind).find((e) => e.code === code)?.nameVi ?? code;

/** The lines of one group of the subject's data, read now. */
async function groupLines(ctx: ServiceContext, catalogue: CategoryCatalogue, personalId: string, group: FieldGroup): Promise<LetterLine[]> {
  const today = dayOf(ctx.clock.now());
  if (group === 'identity') {
    const c = await getCurrent(ctx.store.db, personalId);
    return [
      ...holderLines(c),
      ...(c.legacyIdNumber ? [{ label: 'Số Chứng minh nhân dân', value: c.legacyIdNumber }] : []),
      { label: 'Nơi đăng ký khai sinh', value: catalogue.formatAddress(c.birthRegistrationPlace, today).text },
      { label: 'Dân tộc', value: name(catalogue, 'ethnicity', c.ethnicity) },
      { label: 'Tôn giáo', value: name(catalogue, 'religion', c.religion) },
      { label: 'Quốc tịch', value: name(catalogue, 'nationality', c.nationality) },
    ];
  }
  if (group === 'residence') {
    const r = await getCurrentResidence(ctx, catalogue, personalId);
    const lines: LetterLine[] = [];
    if (r.permanent) lines.push({ label: 'Nơi thường trú', value: `${r.permanent.place.today.text} (từ ${dateVi(r.permanent.startOn)})` });
    if (r.temporary) lines.push({ label: 'Nơi tạm trú', value: `${r.temporary.place.today.text} (từ ${dateVi(r.temporary.startOn)}${r.temporary.validUntil ? ` đến ${dateVi(r.temporary.validUntil)}` : ''})` });
    if (r.livesAt) lines.push({ label: 'Nơi ở hiện tại', value: r.livesAt.today.text });
    return lines;
  }
  if (group === 'household') {
    const h = await getHouseholdOf(ctx, catalogue, { personalId }).catch((e: unknown) => {
      if (e instanceof RegistryError && e.status === 404) return undefined;
      throw e;
    });
    if (!h) return [];
    const head = h.members.find((m) => m.personalId === h.headPersonalId);
    const self = h.members.find((m) => m.personalId === personalId);
    return [
      { label: 'Số hồ sơ cư trú', value: h.residenceFileNumber },
      ...(head ? [{ label: 'Chủ hộ', value: `${head.fullName} (số định danh cá nhân ${head.personalId})` }] : []),
      ...(self ? [{ label: 'Quan hệ với chủ hộ', value: self.relationshipName }] : []),
      { label: 'Số thành viên hộ gia đình', value: String(h.members.length) },
    ];
  }
  if (group === 'card') {
    const s = await getCardStatus(ctx, personalId, today);
    const c = s.current;
    if (!c) return [{ label: 'Thẻ còn giá trị', value: 'Không có' }];
    return [
      { label: 'Số thẻ', value: c.cardNo },
      { label: 'Ngày cấp', value: dateVi(c.issueDate) },
      { label: 'Nơi cấp', value: c.issuingAuthority },
      { label: 'Có giá trị đến', value: c.expiryDate ? dateVi(c.expiryDate) : 'Không thời hạn' },
    ];
  }
  // The last uses of the data the subject may see themself (decision 0032), newest first.
  const u = await usageOf(ctx, personalId, { limit: 10 });
  return u.items.map((i) => ({ label: dateVi(i.at.slice(0, 10)), value: i.description }));
}

async function headerLines(tx: Db, r: StoredWrittenRequest): Promise<LetterLine[]> {
  const citizenName = r.requester.kind === 'citizen' ? (await findCitizen(tx, r.requester.personalId))?.fullName : undefined;
  return requestLines({ requestId: r.requestId, receivedOn: r.receivedOn, channel: r.channel, requester: requesterLine(r.requester, citizenName), purpose: r.purpose });
}

async function issueRefusal(tx: Db, keys: SigningKeys, actor: Actor, r: StoredWrittenRequest, reasons: string[], now: Date): Promise<string> {
  const letter = await recordCertificate(tx, keys, actor, { personalId: r.personalId, kind: 'WRITTEN_REQUEST_REFUSAL', lines: refusalLines(await headerLines(tx, r), reasons), now, extra: { requestId: r.requestId } });
  return letter.number;
}

export type Decision = { decision: 'provide' } | { decision: 'refuse'; reasons: string[] };

/** Deciding is the competent person's act (NĐ 70/2024 Art. 9): an officer, not an administrator or an inspector. */
export const DECIDERS: readonly Role[] = ['officer'];

/**
 * The officer named as deciding (the CLI's --officer): an existing, unrevoked officer principal.
 * Shell access names the officer; it does not make its operator one.
 */
export async function decidingOfficer(ctx: ServiceContext, principalId: string): Promise<Actor> {
  const p = await findPrincipal(ctx.store.db, principalId);
  if (!p || p.revokedAt) throw new RegistryError('PRINCIPAL_NOT_FOUND', { detail: 'No active principal has this ID.' });
  if (!(DECIDERS as readonly string[]).includes(p.role)) throw new RegistryError('FORBIDDEN', { detail: 'Only an officer decides a written request (NĐ 70/2024 Art. 9).' });
  return { principalId: p.id, role: p.role as Role };
}

/** `enteredBy`: who entered the decision when it is not the deciding officer (a CLI operator), kept in the step. */
export async function decideWrittenRequest(
  ctx: ServiceContext, catalogue: CategoryCatalogue, keys: SigningKeys, actor: Actor, requestId: string, d: Decision, enteredBy?: string,
): Promise<WrittenRequestView> {
  // Checked here too, not only at the HTTP edge: every caller (the CLI included) is held to it.
  if (!(DECIDERS as readonly string[]).includes(actor.role)) throw new RegistryError('FORBIDDEN', { detail: 'Only an officer decides a written request (NĐ 70/2024 Art. 9).' });
  const reasons = d.decision === 'refuse' ? cleanReasons(d.reasons) : undefined;
  if (d.decision === 'refuse' && !reasons) throw new RegistryError('REASONS_REQUIRED');
  const now = ctx.clock.now();
  // The data is read before the decision's transaction (the readers use their own connections); the
  // fields asked never change, and the state is checked again under the request's lock.
  let data: { group: FieldGroup; lines: LetterLine[] }[] = [];
  if (!reasons) {
    const asked = await findWrittenRequest(ctx.store.db, requestId);
    if (!asked) throw new RegistryError('WRITTEN_REQUEST_NOT_FOUND');
    const t = nextStatus(asked.status, 'provide');
    if (!t.ok) throw new RegistryError(t.code, { extra: { requestStatus: asked.status } });
    data = [];
    for (const group of asked.fields) data.push({ group, lines: await groupLines(ctx, catalogue, asked.personalId, group) });
  }
  return stepRequest(ctx, requestId, d.decision, async (tx, r, _status, at) => {
    let number: string;
    if (reasons) number = await issueRefusal(tx, keys, actor, r, reasons, now);
    else {
      const letter = await recordCertificate(tx, keys, actor, { personalId: r.personalId, kind: 'WRITTEN_REQUEST_REPLY', lines: replyLines(await headerLines(tx, r), data), now, extra: { requestId: r.requestId } });
      number = letter.number;
    }
    return {
      after: { ...r, decidedAt: at, decidedBy: actor.principalId, certificateNumber: number, ...(reasons ? { reasons } : {}) },
      step: { actorId: actor.principalId, kind: reasons ? 'refused' : 'provided', details: { certificateNumber: number, ...(reasons ? { reasons } : { fields: r.fields }), ...(enteredBy ? { enteredBy } : {}) } },
    };
  });
}

/** The subject refuses consent: the request is refused with that reason, in a signed letter. */
export async function refuseConsent(ctx: ServiceContext, keys: SigningKeys, actor: Actor, requestId: string, how: ConsentAnswerChannel): Promise<WrittenRequestView> {
  const now = ctx.clock.now();
  const { channel, details } = answerStep(how);
  return stepRequest(ctx, requestId, 'consent_refused', async (tx, r, _status, at) => {
    const number = await issueRefusal(tx, keys, actor, r, [SUBJECT_REFUSED_REASON], now);
    return {
      after: { ...r, decidedAt: at, decidedBy: actor.principalId, certificateNumber: number, reasons: [SUBJECT_REFUSED_REASON] },
      step: { actorId: actor.principalId, kind: 'consent_refused', channel, details: { certificateNumber: number, ...details } },
    };
  });
}

/**
 * The letter of a decided request as a PDF, and what it releases (for the record: the subject's
 * data groups of a reply, the reasons of a refusal).
 */
export async function writtenRequestLetter(ctx: ServiceContext, r: WrittenRequestView, verifyBaseUrl: string): Promise<{ pdf: Buffer; released: Record<string, unknown> }> {
  if (!r.certificateNumber) throw new RegistryError('WRITTEN_REQUEST_UNDECIDED');
  const v = await getCertificate(ctx, r.certificateNumber);
  const pdf = await certificatePdf(ctx, v, verifyBaseUrl);
  const released: Record<string, unknown> =
    r.status === 'provided' ? { personalId: r.personalId, ...Object.fromEntries(r.fields.map((g) => [g, true])) } : { personalId: r.personalId, reasons: r.reasons };
  return { pdf, released };
}

/** The kinds of certificate that are the letters answering written requests. */
export const LETTER_KINDS: readonly CertificateKind[] = ['WRITTEN_REQUEST_REPLY', 'WRITTEN_REQUEST_REFUSAL'];

/**
 * A certificate read through the generic certificate routes and commands — never a written
 * request's letter: handing that out is a release to the requester, recorded as such only by the
 * letter's own route and command. Checking it by number stays public (public-verification.ts).
 */
export async function getOtherCertificate(ctx: ServiceContext, number: string): Promise<CertificateView> {
  const v = await getCertificate(ctx, number);
  if (LETTER_KINDS.includes(v.kind)) {
    throw new RegistryError('CERTIFICATE_NOT_FOUND', { detail: 'A written request\'s letter is fetched at /written-requests/{requestId}/letter (dancu written-request letter): each copy is recorded as a release to the requester.' });
  }
  return v;
}
