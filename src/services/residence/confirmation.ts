/**
 * The residence confirmation (form CT07): generated from the register — current residence,
 * previous residences, the time at each and the registration type — signed and numbered like the
 * other certificates. Valid for 1 year and only while the holder's residence data stays as it was
 * at issue: the certificate records the holder's residence revision, and any later residence event
 * ends its validity (TT 55/2021 Art. 17 as amended by TT 66/2023).
 */
import { RegistryError } from '../../domain/errors/registry-error.js';
import { RELATIONSHIPS } from '../../domain/residence/household.js';
import { confirmationStatus, confirmationValidUntil, type ConfirmationStatus } from '../../domain/residence/time-rules.js';
import { localDay } from '../../domain/residence/working-days.js';
import type { CertificateLine } from '../../documents/certificate-pdf.js';
import { findCertificate } from '../../store/repositories/certificates.js';
import { listRegistrations, listResidenceEvents, residenceRevision } from '../../store/repositories/residence-registrations.js';
import type { CategoryCatalogue } from '../categories.js';
import { dateVi, getCertificate, holderLines, recordCertificate, type CertificateView } from '../certificates.js';
import { getCurrent } from '../citizens/current.js';
import type { Actor, ServiceContext } from '../context.js';
import type { SigningKeys } from '../signing-keys.js';
import { findHousehold } from '../../store/repositories/households.js';
import { findCitizen } from '../../store/repositories/citizens.js';
import { registrationView } from './queries.js';


export async function issueResidenceConfirmation(
  ctx: ServiceContext,
  catalogue: CategoryCatalogue,
  keys: SigningKeys,
  actor: Actor,
  personalId: string,
): Promise<CertificateView & { validUntil: string }> {
  const now = ctx.clock.now();
  const today = localDay(now.toISOString());
  return ctx.store.transaction(async (tx) => {
    const c = await getCurrent(tx, personalId);
    const regs = (await listRegistrations(tx, c.personalId)).filter((r) => r.kind !== 'absence');
    if (regs.length === 0) throw new RegistryError('NOT_REGISTERED', { detail: 'The register holds no residence for this person' });
    const views = regs.map((r) => registrationView(catalogue, r, today));
    const lines: CertificateLine[] = holderLines(c);
    const current = views.filter((v) => v.status === 'active');
    for (const v of current) {
      lines.push({ label: v.kind === 'permanent' ? 'Nơi thường trú' : 'Nơi tạm trú', value: `${v.place.today.text} (từ ngày ${dateVi(v.startOn)}${v.validUntil ? ` đến ngày ${dateVi(v.validUntil)}` : ''})` });
      if (v.householdId) {
        const h = await findHousehold(tx, v.householdId);
        const head = h?.headPersonalId ? await findCitizen(tx, h.headPersonalId) : undefined;
        lines.push({ label: 'Số hồ sơ cư trú', value: v.householdId });
        if (head) lines.push({ label: 'Họ tên chủ hộ', value: head.fullName });
        if (v.relationship) lines.push({ label: 'Quan hệ với chủ hộ', value: RELATIONSHIPS[v.relationship].vi });
      }
    }
    const previous = views.filter((v) => v.status !== 'active').reverse();
    previous.forEach((v, i) => {
      const until = v.endedOn ?? v.validUntil ?? '';
      lines.push({ label: i === 0 ? 'Nơi cư trú trước đây' : '', value: `${v.kindName}: ${v.place.asRegistered} (từ ${dateVi(v.startOn)} đến ${dateVi(until)})` });
    });
    const validUntil = confirmationValidUntil(today);
    lines.push({ label: 'Giá trị sử dụng đến ngày', value: dateVi(validUntil) });
    const revision = await residenceRevision(tx, c.personalId);
    const view = await recordCertificate(tx, keys, actor, { personalId: c.personalId, kind: 'RESIDENCE_CONFIRMATION', lines, now, extra: { validUntil, residenceRevision: revision } });
    return { ...view, validUntil };
  });
}

export interface ResidenceConfirmationCheck {
  number: string;
  valid: boolean;
  status: ConfirmationStatus | 'revoked';
  issuedOn: string;
  validUntil: string;
  /** When the holder's residence data changed after issue (what ended validity), if it did. */
  residenceChangedAt?: string;
  certificate: CertificateView;
}

/** Anyone holding the number may check it: valid, expired, or lapsed by a change of residence data. */
export async function verifyResidenceConfirmation(ctx: ServiceContext, number: string): Promise<ResidenceConfirmationCheck> {
  const stored = await findCertificate(ctx.store.db, number);
  if (!stored || stored.kind !== 'RESIDENCE_CONFIRMATION') throw new RegistryError('CERTIFICATE_NOT_FOUND');
  const content = stored.content as { validUntil: string; residenceRevision: number };
  const events = await listResidenceEvents(ctx.store.db, stored.personalId);
  const firstChange = events.find((e) => e.revision > content.residenceRevision);
  // A change recorded in the same millisecond as the issue still came after it (higher revision).
  const changedAt = firstChange ? new Date(Math.max(Date.parse(firstChange.at), Date.parse(stored.issuedAt) + 1)).toISOString() : null;
  const status = stored.revokedAt ? 'revoked' : confirmationStatus(stored.issuedAt, content.validUntil, changedAt, ctx.clock.now().toISOString());
  return {
    number,
    valid: status === 'valid',
    status,
    issuedOn: stored.issuedAt.slice(0, 10),
    validUntil: content.validUntil,
    ...(firstChange ? { residenceChangedAt: firstChange.at } : {}),
    certificate: await getCertificate(ctx, number),
  };
}
