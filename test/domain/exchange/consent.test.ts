/** The data subject's consent (decision 0044): defaults by agency type, requests, states and what a call may do. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AGENCY_TYPES, type AgencyType } from '../../../src/domain/exchange/agency.js';
import {
  ANSWER_DAYS, CONSENT_CODE, CONSENT_CODE_ALPHABET, CONSENT_STATES, MAX_VALID_DAYS, answerByOf, consentByDefault, consentCodeOf, consentRequestProblems,
  decideConsent, grantNeedsConsent, nextState, policyConsentProblems, releasesData, stateAt, validUntilOf,
  type ConsentAction, type ConsentState, type HeldConsent,
} from '../../../src/domain/exchange/consent.js';

const TYPES = Object.keys(AGENCY_TYPES) as AgencyType[];
const NON_STATE: AgencyType[] = ['credit_institution', 'telecom_operator', 'digital_signature_provider', 'eid_provider', 'notary', 'bailiff'];

describe('who needs consent', () => {
  test('state agencies and political organisations do not; every other type does; a public-service organisation unless state-budget funded', () => {
    for (const funded of [false, true]) {
      assert.equal(consentByDefault('state_agency', funded), false);
      assert.equal(consentByDefault('political_organisation', funded), false);
      for (const t of NON_STATE) assert.equal(consentByDefault(t, funded), true, `${t} funded=${funded}`);
    }
    assert.equal(consentByDefault('public_service_organisation', false), true);
    assert.equal(consentByDefault('public_service_organisation', true), false);
    assert.equal(consentByDefault(undefined, true), true, 'an unknown type is not presumed to be the state');
    assert.equal(TYPES.length, NON_STATE.length + 3, 'every type is decided above');
  });

  test('only services that release data need it: the provider services never', () => {
    assert.equal(releasesData('lookupCitizen'), true);
    assert.equal(releasesData('verifyCitizen'), true);
    assert.equal(releasesData('submitSubscriberLink'), false);
    assert.equal(releasesData('importSubscriberLinks'), false);
    assert.equal(grantNeedsConsent({ service: 'submitSubscriberLink' }, 'telecom_operator', false), false);
    assert.equal(grantNeedsConsent({ service: 'submitSubscriberLink', consentRequired: true }, 'telecom_operator', false), false);
  });

  test('a grant: the policy\'s word where it may be given, else the default; a waiver holds only for verifyCitizen outside the state', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.boolean(), fc.constantFrom('lookupCitizen', 'verifyCitizen', 'getCardStatus'), fc.constantFrom<boolean | undefined>(true, false, undefined), (type, funded, service, said) => {
        const byDefault = consentByDefault(type, funded);
        const got = grantNeedsConsent({ service, ...(said !== undefined ? { consentRequired: said } : {}) }, type, funded);
        if (said === true) assert.equal(got, true);
        else if (said === undefined) assert.equal(got, byDefault);
        else assert.equal(got, byDefault && service !== 'verifyCitizen');
      }),
    );
  });

  test('a policy may waive consent only on verifyCitizen for an agency outside the state', () => {
    const grants = [
      { service: 'lookupCitizen' as const, fields: ['fullName'], purposes: ['P'], consentRequired: false },
      { service: 'verifyCitizen' as const, fields: ['fullName'], purposes: ['P'], consentRequired: false },
      { service: 'getCardStatus' as const, fields: ['status'], purposes: ['P'], consentRequired: true },
      { service: 'submitSubscriberLink' as const, fields: ['outcome'], purposes: ['P'], consentRequired: false },
      { service: 'getResidenceInformation' as const, fields: ['livesAt'], purposes: ['P'] },
    ];
    assert.deepEqual(policyConsentProblems({ grants }, 'credit_institution', false), [
      "lookupCitizen: the data subject's consent cannot be waived for this agency type (NĐ 70/2024 Art. 10(2)); only verifyCitizen may be configured without it",
    ]);
    assert.deepEqual(policyConsentProblems({ grants }, 'state_agency', false), []);
    assert.deepEqual(policyConsentProblems({ grants }, 'public_service_organisation', true), []);
    assert.equal(policyConsentProblems({ grants }, undefined, false).length, 1);
  });
});

describe('a consent request within the policy', () => {
  const policy = {
    grants: [
      { service: 'lookupCitizen' as const, fields: ['fullName', 'dateOfBirth', 'sex'], purposes: ['P1', 'P2'] },
      { service: 'verifyCitizen' as const, fields: ['fullName', 'phone'], purposes: ['P1'] },
    ],
  };

  test('each kind of problem is named, with where it is', () => {
    assert.deepEqual(consentRequestProblems({ purpose: 'P1', data: [{ service: 'lookupCitizen', fields: ['fullName'] }] }, policy), []);
    assert.deepEqual(consentRequestProblems({ purpose: 'P2', data: [{ service: 'lookupCitizen', fields: ['fullName', 'sex'] }, { service: 'verifyCitizen', fields: ['fullName'] }] }, policy), [
      'data/1: purpose P2 is not granted for verifyCitizen',
    ]);
    assert.deepEqual(consentRequestProblems({ purpose: 'P1', data: [{ service: 'getCardStatus', fields: ['status'] }] }, policy), ["data/0: getCardStatus is not in the connection's policy"]);
    assert.deepEqual(consentRequestProblems({ purpose: 'P1', data: [{ service: 'lookupCitizen', fields: ['fullName', 'email'] }] }, policy), ['data/0: email is not a granted field of lookupCitizen']);
    assert.deepEqual(consentRequestProblems({ purpose: 'P1', data: [{ service: 'lookupCitizen', fields: ['sex', 'sex'] }] }, policy), ['data/0: a field is asked twice']);
    assert.deepEqual(consentRequestProblems({ purpose: 'P1', data: [{ service: 'lookupCitizen', fields: ['sex'] }, { service: 'lookupCitizen', fields: ['sex'] }] }, policy), ['data/1: lookupCitizen asked twice']);
  });

  test('property: no problem exactly when every service, field and purpose is granted and nothing repeats', () => {
    const services = ['lookupCitizen', 'verifyCitizen', 'getCardStatus'] as const;
    const fields = ['fullName', 'dateOfBirth', 'sex', 'phone', 'email'];
    fc.assert(
      fc.property(
        fc.constantFrom('P1', 'P2', 'P3'),
        fc.array(fc.record({ service: fc.constantFrom(...services), fields: fc.array(fc.constantFrom(...fields), { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 3 }),
        (purpose, data) => {
          const ok =
            new Set(data.map((d) => d.service)).size === data.length &&
            data.every((d) => {
              const g = policy.grants.find((x) => x.service === d.service);
              return g !== undefined && g.purposes.includes(purpose) && d.fields.every((f) => g.fields.includes(f)) && new Set(d.fields).size === d.fields.length;
            });
          assert.equal(consentRequestProblems({ purpose, data }, policy).length === 0, ok);
        },
      ),
    );
  });
});

describe('states', () => {
  test('a pending request expires at its deadline; an approval at the end of its validity', () => {
    const answerBy = '2026-06-08T08:00:00.000Z';
    assert.equal(stateAt({ state: 'pending', answerBy }, '2026-06-08T07:59:59.999Z'), 'pending');
    assert.equal(stateAt({ state: 'pending', answerBy }, answerBy), 'expired');
    const validUntil = '2026-07-01T00:00:00.000Z';
    assert.equal(stateAt({ state: 'approved', answerBy, validUntil }, '2026-06-30T23:59:59.999Z'), 'approved');
    assert.equal(stateAt({ state: 'approved', answerBy, validUntil }, validUntil), 'expired');
    assert.equal(stateAt({ state: 'approved', answerBy }, '2099-01-01T00:00:00.000Z'), 'approved', 'no validity end: holds');
    for (const s of ['refused', 'withdrawn', 'expired'] as const) assert.equal(stateAt({ state: s, answerBy, validUntil }, '2099-01-01T00:00:00.000Z'), s);
    // A pending request's own validity does not run yet.
    assert.equal(stateAt({ state: 'pending', answerBy, validUntil: '2026-06-02T00:00:00.000Z' }, '2026-06-03T00:00:00.000Z'), 'pending');
  });

  test('transitions: exactly these, from the state in force', () => {
    const allowed: Record<string, ConsentState> = {
      'pending/approve': 'approved',
      'pending/refuse': 'refused',
      'approved/withdraw': 'withdrawn',
      'pending/expire': 'expired',
      'approved/expire': 'expired',
    };
    for (const from of CONSENT_STATES) {
      for (const action of ['approve', 'refuse', 'withdraw', 'expire'] as ConsentAction[]) {
        const t = nextState(from, action);
        const want = allowed[`${from}/${action}`];
        assert.deepEqual(t, want ? { ok: true, to: want } : { ok: false }, `${from}/${action}`);
      }
    }
  });

  test('deadlines: the answer within 7 days, the validity from the approval', () => {
    assert.equal(ANSWER_DAYS, 7);
    assert.equal(MAX_VALID_DAYS, 365);
    assert.equal(answerByOf('2026-06-01T08:00:00.000Z'), '2026-06-08T08:00:00.000Z');
    assert.equal(validUntilOf('2026-06-01T08:00:00.000Z', 30), '2026-07-01T08:00:00.000Z');
    assert.equal(validUntilOf('2026-06-01T08:00:00.000Z', 1), '2026-06-02T08:00:00.000Z');
  });
});

describe('what a call may do', () => {
  const NOW = '2026-06-10T00:00:00.000Z';
  const consent = (o: Partial<HeldConsent>): HeldConsent => ({
    consentId: 'c1',
    purpose: 'P1',
    data: [{ service: 'lookupCitizen', fields: ['fullName', 'sex'] }],
    createdAt: '2026-06-01T00:00:00.000Z',
    state: 'approved',
    answerBy: '2026-06-08T00:00:00.000Z',
    validUntil: '2026-07-01T00:00:00.000Z',
    ...o,
  });

  test('an approval in force for the purpose and service allows the call, with its fields', () => {
    assert.deepEqual(decideConsent([consent({})], { service: 'lookupCitizen', purpose: 'P1', now: NOW }), { allowed: true, consentId: 'c1', fields: ['fullName', 'sex'] });
  });

  test('none, or none for this purpose or service: required', () => {
    assert.deepEqual(decideConsent([], { service: 'lookupCitizen', purpose: 'P1', now: NOW }), { allowed: false, code: 'SUBJECT_CONSENT_REQUIRED' });
    assert.deepEqual(decideConsent([consent({})], { service: 'lookupCitizen', purpose: 'P2', now: NOW }), { allowed: false, code: 'SUBJECT_CONSENT_REQUIRED' });
    assert.deepEqual(decideConsent([consent({})], { service: 'getCardStatus', purpose: 'P1', now: NOW }), { allowed: false, code: 'SUBJECT_CONSENT_REQUIRED' });
  });

  test('verifyCitizen: every attribute claimed must be consented to', () => {
    const v = consent({ data: [{ service: 'verifyCitizen', fields: ['fullName', 'dateOfBirth'] }] });
    assert.equal(decideConsent([v], { service: 'verifyCitizen', purpose: 'P1', now: NOW, needsFields: ['fullName'] }).allowed, true);
    assert.equal(decideConsent([v], { service: 'verifyCitizen', purpose: 'P1', now: NOW, needsFields: ['fullName', 'dateOfBirth'] }).allowed, true);
    assert.deepEqual(decideConsent([v], { service: 'verifyCitizen', purpose: 'P1', now: NOW, needsFields: ['fullName', 'phone'] }), { allowed: false, code: 'SUBJECT_CONSENT_REQUIRED' });
  });

  test('the newest request for the purpose and service names the refusal', () => {
    const q = { service: 'lookupCitizen', purpose: 'P1', now: NOW };
    assert.deepEqual(decideConsent([consent({ state: 'pending', validUntil: undefined, answerBy: '2026-06-11T00:00:00.000Z' })], q), { allowed: false, code: 'SUBJECT_CONSENT_PENDING' });
    assert.deepEqual(decideConsent([consent({ state: 'refused' })], q), { allowed: false, code: 'SUBJECT_CONSENT_REFUSED' });
    assert.deepEqual(decideConsent([consent({ state: 'withdrawn' })], q), { allowed: false, code: 'SUBJECT_CONSENT_WITHDRAWN' });
    assert.deepEqual(decideConsent([consent({ validUntil: NOW })], q), { allowed: false, code: 'SUBJECT_CONSENT_EXPIRED' });
    assert.deepEqual(decideConsent([consent({ state: 'pending', validUntil: undefined })], q), { allowed: false, code: 'SUBJECT_CONSENT_EXPIRED' }, 'unanswered in time');
    // Older withdrawn, newer refused: the newer decides.
    const older = consent({ consentId: 'old', state: 'withdrawn', createdAt: '2026-05-01T00:00:00.000Z' });
    const newer = consent({ consentId: 'new', state: 'refused', createdAt: '2026-06-02T00:00:00.000Z' });
    assert.deepEqual(decideConsent([older, newer], q), { allowed: false, code: 'SUBJECT_CONSENT_REFUSED' });
    assert.deepEqual(decideConsent([newer, older], q), { allowed: false, code: 'SUBJECT_CONSENT_REFUSED' });
    // A request for another service does not name the refusal for this one.
    const other = consent({ consentId: 'x', state: 'refused', createdAt: '2026-06-05T00:00:00.000Z', data: [{ service: 'getCardStatus', fields: ['status'] }] });
    assert.deepEqual(decideConsent([older, other], q), { allowed: false, code: 'SUBJECT_CONSENT_WITHDRAWN' });
  });

  test('a newer pending request does not hide an approval in force; the newest approval in force is used', () => {
    const q = { service: 'lookupCitizen', purpose: 'P1', now: NOW };
    const pending = consent({ consentId: 'p', state: 'pending', validUntil: undefined, answerBy: '2026-06-12T00:00:00.000Z', createdAt: '2026-06-09T00:00:00.000Z' });
    assert.deepEqual(decideConsent([consent({}), pending], q), { allowed: true, consentId: 'c1', fields: ['fullName', 'sex'] });
    const newer = consent({ consentId: 'c2', createdAt: '2026-06-05T00:00:00.000Z', data: [{ service: 'lookupCitizen', fields: ['fullName'] }] });
    assert.deepEqual(decideConsent([consent({}), newer], q), { allowed: true, consentId: 'c2', fields: ['fullName'] });
    assert.deepEqual(decideConsent([newer, consent({})], q), { allowed: true, consentId: 'c2', fields: ['fullName'] });
    // An approval in force that does not cover the service is no consent to it (newest is that one).
    const narrow = consent({ consentId: 'c3', createdAt: '2026-06-06T00:00:00.000Z', data: [{ service: 'lookupCitizen', fields: ['sex'] }] });
    assert.deepEqual(decideConsent([narrow], { ...q, service: 'lookupCitizen', needsFields: ['fullName'] }), { allowed: false, code: 'SUBJECT_CONSENT_REQUIRED' });
  });

  test('property: allowed only by an approval in force for the purpose that covers the service and the attributes', () => {
    const arb = fc.record({
      consentId: fc.uuid(),
      purpose: fc.constantFrom('P1', 'P2'),
      data: fc.constantFrom([{ service: 'lookupCitizen', fields: ['fullName'] }], [{ service: 'verifyCitizen', fields: ['fullName', 'sex'] }], [{ service: 'lookupCitizen', fields: ['sex'] }, { service: 'verifyCitizen', fields: ['sex'] }]),
      createdAt: fc.integer({ min: 0, max: 1e6 }).map((n) => new Date(Date.parse('2026-06-01T00:00:00.000Z') + n * 1000).toISOString()),
      state: fc.constantFrom(...CONSENT_STATES),
      answerBy: fc.constantFrom('2026-06-05T00:00:00.000Z', '2026-06-20T00:00:00.000Z'),
      validUntil: fc.constantFrom(undefined, '2026-06-05T00:00:00.000Z', '2026-07-20T00:00:00.000Z'),
    });
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 5 }), fc.constantFrom('lookupCitizen', 'verifyCitizen'), fc.constantFrom('P1', 'P2'), fc.option(fc.subarray(['fullName', 'sex']), { nil: undefined }), (cs, service, purpose, needsFields) => {
        const held = cs as unknown as HeldConsent[];
        const d = decideConsent(held, { service, purpose, now: NOW, ...(needsFields ? { needsFields } : {}) });
        const valid = held.filter((c) => c.purpose === purpose && stateAt(c, NOW) === 'approved' && c.data.some((x) => x.service === service && (needsFields ?? []).every((f) => x.fields.includes(f))));
        assert.equal(d.allowed, valid.length > 0);
        if (d.allowed) {
          const used = held.find((c) => c.consentId === d.consentId)!;
          assert.ok(valid.includes(used));
          assert.ok(valid.every((c) => c.createdAt <= used.createdAt), 'the newest valid one');
          assert.deepEqual(d.fields, used.data.find((x) => x.service === service)!.fields);
        } else assert.match(d.code, /^SUBJECT_CONSENT_(REQUIRED|PENDING|REFUSED|WITHDRAWN|EXPIRED)$/);
      }),
    );
  });
});

describe('consent codes', () => {
  test('8 characters of the alphabet without look-alikes, one per byte', () => {
    assert.equal(CONSENT_CODE_ALPHABET.length, 31);
    assert.doesNotMatch(CONSENT_CODE_ALPHABET, /[01ILO]/);
    assert.equal(consentCodeOf(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 30])), '2345678Z');
    assert.equal(consentCodeOf(new Uint8Array([31, 32, 62, 255, 0, 0, 0, 0, 9])), '23292222', 'modulo the alphabet; the ninth byte unused');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 16 }), (bytes) => {
        const code = consentCodeOf(bytes);
        assert.match(code, CONSENT_CODE);
        for (let i = 0; i < 8; i++) assert.equal(code[i], CONSENT_CODE_ALPHABET[bytes[i]! % 31]);
      }),
    );
    for (const ch of CONSENT_CODE_ALPHABET) assert.match(ch.repeat(8), CONSENT_CODE);
    for (const bad of ['0', '1', 'I', 'L', 'O', 'a']) assert.doesNotMatch(bad.repeat(8), CONSENT_CODE);
    assert.doesNotMatch('2345678', CONSENT_CODE);
    assert.doesNotMatch('234567892', CONSENT_CODE);
  });
});

describe('the SMS of a request: notice, answer, reply', async () => {
  const { parseConsentReply, consentReplyText, consentNoticeText } = await import('../../../src/domain/sms/consent-reply.js');
  const { isGsm7 } = await import('../../../src/domain/sms/encoding.js');
  const { variant } = await import('../../../src/domain/sms/replies.js');
  test('DONGY / TUCHOI and a code, however written; anything else is no answer', () => {
    assert.deepEqual(parseConsentReply('DONGY AB23CD45'), { answer: 'approve', code: 'AB23CD45' });
    assert.deepEqual(parseConsentReply('đồng ý ab23-cd45'), { answer: 'approve', code: 'AB23CD45' });
    assert.deepEqual(parseConsentReply(' Từ chối  AB23CD45 '), { answer: 'refuse', code: 'AB23CD45' });
    for (const bad of ['DONGY', 'DONGY AB23CD4', 'DONGY AB23CD456', 'DONGY AB23CD4O', 'TUCHOI', 'CN', 'DONG Y', 'XDONGY AB23CD45', '']) assert.equal(parseConsentReply(bad), undefined, bad);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.boolean(), (bytes, yes) => {
        const code = consentCodeOf(bytes);
        assert.deepEqual(parseConsentReply(`${yes ? 'DONGY' : 'TUCHOI'} ${code.toLowerCase()}`), { answer: yes ? 'approve' : 'refuse', code });
      }),
    );
  });
  test('replies name the agency, never the person', () => {
    assert.equal(consentReplyText('approved', 'NH A'), 'Ban da dong y yeu cau cua NH A. Rut lai: tren tai khoan dinh danh dien tu.');
    assert.equal(consentReplyText('refused', 'NH A'), 'Ban da tu choi yeu cau cua NH A.');
    assert.equal(consentReplyText('closed', 'NH A'), 'Yeu cau cua NH A khong con cho tra loi (da tra loi, da rut lai hoac het han).');
    assert.equal(consentReplyText('refused'), 'Ban da tu choi yeu cau.');
    assert.equal(consentReplyText('unknown'), 'Khong tim thay yeu cau xin y kien dong y voi ma nay cho so dien thoai nay.');
    assert.equal(consentReplyText('approved', 'NH A', true), 'Ban da dong y yeu cau cua NH A ve nguoi ban dai dien. Rut lai: tren tai khoan dinh danh dien tu.');
    assert.equal(consentReplyText('closed', 'NH A', true), 'Yeu cau cua NH A ve nguoi ban dai dien khong con cho tra loi (da tra loi, da rut lai hoac het han).');
  });
  test('the notice: the agency and the code; a representative\'s says only that it is about a person they represent', () => {
    assert.equal(
      consentNoticeText('NH A', 'AB23CD45', false),
      'NH A xin y kien dong y cua ban ve viec su dung thong tin ca nhan. Ma AB23CD45. Tra loi DONGY AB23CD45 hoac TUCHOI AB23CD45, hoac xem tren tai khoan dinh danh dien tu.',
    );
    assert.equal(
      consentNoticeText('NH A', 'AB23CD45', true),
      'NH A xin y kien dong y ve viec su dung thong tin ca nhan cua nguoi ban dai dien theo phap luat. Ma AB23CD45. Tra loi DONGY AB23CD45 hoac TUCHOI AB23CD45, hoac xem tren tai khoan dinh danh dien tu.',
    );
  });
  test('notice and replies go as GSM-7: the agency\'s name unaccented too, folded as an unaccented reply folds it', () => {
    assert.equal(consentReplyText('approved', 'Ngân hàng Đại Diện', true), 'Ban da dong y yeu cau cua Ngan hang Dai Dien ve nguoi ban dai dien. Rut lai: tren tai khoan dinh danh dien tu.');
    assert.ok(consentNoticeText('Quỹ tín dụng Đồng Tâm', 'AB23CD45', false).startsWith('Quy tin dung Dong Tam xin y kien'));
    assert.ok(consentNoticeText('Công ty 中文 ™', 'AB23CD45', false).startsWith('Cong ty ?? ? xin y kien'), 'no GSM-7 code: "?"');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.boolean(), fc.constantFrom('approved', 'refused', 'closed', 'unknown' as const), (name, bytes, onBehalf, outcome) => {
        const code = consentCodeOf(bytes);
        const notice = consentNoticeText(name, code, onBehalf);
        const reply = consentReplyText(outcome, name, onBehalf);
        assert.ok(isGsm7(notice) && isGsm7(reply), `${notice} / ${reply}`);
        assert.ok(notice.startsWith(`${variant(name, true)} xin y kien dong y `), notice);
        assert.equal(notice.split(code).length - 1 >= 3, true, 'the code three times');
        if (outcome !== 'unknown' && name !== '') assert.ok(reply.includes(` cua ${variant(name, true)}`), reply);
      }),
    );
  });
});

describe('the request schema', async () => {
  const { Value } = await import('@sinclair/typebox/value');
  const { ConsentRequestInput, ConsentData } = await import('../../../src/domain/exchange/consent.js');
  const good = { personalId: '001090000001', purpose: '1.004222', data: [{ service: 'lookupCitizen', fields: ['fullName'] }], validDays: 30 };
  test('a well-formed request passes; each bound and closed object is enforced', () => {
    assert.equal(Value.Check(ConsentRequestInput, good), true);
    assert.equal(Value.Check(ConsentRequestInput, { ...good, validDays: MAX_VALID_DAYS }), true);
    assert.equal(Value.Check(ConsentRequestInput, { ...good, data: Array.from({ length: 20 }, () => good.data[0]) }), true);
    const bad: Record<string, unknown>[] = [
      { ...good, validDays: 0 },
      { ...good, validDays: MAX_VALID_DAYS + 1 },
      { ...good, validDays: 1.5 },
      { ...good, personalId: '00109000000' },
      { ...good, personalId: 'x01090000001' },
      { ...good, data: [] },
      { ...good, data: Array.from({ length: 21 }, () => good.data[0]) },
      { ...good, data: [{ service: 'lookupCitizen', fields: [] }] },
      { ...good, data: [{ service: 'lookupCitizen', fields: [''] }] },
      { ...good, data: [{ service: 'lookupCitizen', fields: ['x'.repeat(61)] }] },
      { ...good, data: [{ service: 'lookupCitizen', fields: Array.from({ length: 61 }, (_, i) => `f${i}`) }] },
      { ...good, data: [{ service: 'lookupCitizen', fields: ['fullName'], extra: 1 }] },
      { ...good, extra: 1 },
    ];
    for (const b of bad) assert.equal(Value.Check(ConsentRequestInput, b), false, JSON.stringify(b).slice(0, 120));
    assert.equal(Value.Check(ConsentData, { service: 'lookupCitizen', fields: Array.from({ length: 60 }, (_, i) => `f${i}`) }), true);
    // The API document describes each part.
    for (const k of ['personalId', 'data', 'validDays'] as const) assert.ok(String(ConsentRequestInput.properties[k].description ?? '').length > 5, k);
    assert.match(String(ConsentRequestInput.properties.validDays.description), /365/);
    assert.ok(String(ConsentData.properties.fields.description ?? '').length > 5);
  });

  test('a refusal is named by the newest request that asked for the service, whatever else it asked', () => {
    const base = { purpose: 'P1', answerBy: '2026-06-08T00:00:00.000Z', validUntil: '2026-07-01T00:00:00.000Z' };
    const older = { ...base, consentId: 'a', state: 'withdrawn' as const, createdAt: '2026-06-01T00:00:00.000Z', data: [{ service: 'lookupCitizen' as const, fields: ['fullName'] }] };
    const newer = { ...base, consentId: 'b', state: 'refused' as const, createdAt: '2026-06-02T00:00:00.000Z', data: [{ service: 'getCardStatus' as const, fields: ['status'] }, { service: 'lookupCitizen' as const, fields: ['fullName'] }] };
    assert.deepEqual(decideConsent([older, newer], { service: 'lookupCitizen', purpose: 'P1', now: '2026-06-03T00:00:00.000Z' }), { allowed: false, code: 'SUBJECT_CONSENT_REFUSED' });
  });
});
