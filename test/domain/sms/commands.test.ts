/** The published SMS syntax (help.ts) read by parseSmsCommand: forms, case, diacritics, spaces, KD, prefix. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compactForm, parseSmsCommand } from '../../../src/domain/sms/commands.js';
import { helpDocument, helpText, SMS_COMMANDS, SMS_KEYWORDS, UNACCENTED_FORMS, SERVICE_PREFIXES, USAGE_ITEMS } from '../../../src/domain/sms/help.js';

const ALL_FORMS = SMS_KEYWORDS.flatMap((k) => k.forms.map((form) => ({ form, command: k.command })));
const stripMarks = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');

describe('SMS commands', () => {
  test('every published form, as printed, lower case, unaccented, NFD, spaced out and run together, is its command', () => {
    for (const { form, command } of ALL_FORMS) {
      for (const typed of [form, form.toLowerCase(), stripMarks(form), stripMarks(form).toLowerCase(), form.normalize('NFD'), `  ${form.split(' ').join('   ')}  `, form.replace(/ /g, ''), `${form}.`]) {
        assert.deepEqual(parseSmsCommand(typed), { command, unaccented: false, recognised: true }, `${JSON.stringify(typed)}`);
      }
    }
  });

  test('the examples of the help, one by one', () => {
    assert.deepEqual(parseSmsCommand('cn'), { command: 'identity', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('Cư trú'), { command: 'residence', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('CT TH'), { command: 'permanent', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('tam tru'), { command: 'temporary', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('nơi ở hiện tại'), { command: 'current', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('HỘ KHẨU'), { command: 'household', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('the'), { command: 'card', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('Nhật ký'), { command: 'usage', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('?'), { command: 'help', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('ĐỊA CHỈ'), { command: 'residence', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('Ðịa chỉ'), { command: 'residence', unaccented: false, recognised: true }, 'Icelandic eth read as Đ');
    assert.deepEqual(parseSmsCommand('C\u200bN'), { command: 'identity', unaccented: false, recognised: true }, 'invisible characters ignored');
  });

  test('KD or KHÔNG DẤU after a command asks for the unaccented reply', () => {
    for (const { form, command } of ALL_FORMS) {
      for (const suffix of [' KD', ' kd', 'kd', ' không dấu', ' KHONG DAU', '  khongdau ']) {
        assert.deepEqual(parseSmsCommand(form + suffix), { command, unaccented: true, recognised: true }, form + suffix);
      }
    }
    assert.deepEqual(parseSmsCommand('KD'), { command: 'help', unaccented: true, recognised: true });
    assert.deepEqual(parseSmsCommand('không dấu'), { command: 'help', unaccented: true, recognised: true });
    assert.deepEqual(parseSmsCommand('DANCU KD'), { command: 'help', unaccented: true, recognised: true });
  });

  test('the service keyword may open any message', () => {
    for (const { form, command } of ALL_FORMS) {
      for (const prefix of ['DANCU ', 'dân cư ', 'DAN CU', 'dancu']) {
        assert.deepEqual(parseSmsCommand(prefix + form), { command, unaccented: false, recognised: true }, prefix + form);
        assert.deepEqual(parseSmsCommand(`${prefix}${form} KD`), { command, unaccented: true, recognised: true }, `${prefix}${form} KD`);
      }
    }
    assert.deepEqual(parseSmsCommand('DANCU'), { command: 'help', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand(''), { command: 'help', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('  \n '), { command: 'help', unaccented: false, recognised: true });
    assert.deepEqual(parseSmsCommand('DANCU DANCU'), { command: 'help', unaccented: false, recognised: false }, 'the prefix is taken once');
  });

  test('anything else is not recognised and answered with the help, accented', () => {
    for (const text of ['XYZ', 'CT ABC', 'CN CN', 'KD CN', 'xyz kd', 'CMND 123', 'ct t', 'c', 'kdkd', 'TT', 'DANCUX', 'CN KD KD']) {
      assert.deepEqual(parseSmsCommand(text), { command: 'help', unaccented: false, recognised: false }, text);
    }
  });

  test('compactForm: folded, letters, digits and "?" only', () => {
    assert.equal(compactForm(' Nơi Ở, hiện-tại! '), 'noiohientai');
    assert.equal(compactForm('HỘ KHẨU 2?'), 'hokhau2?');
    assert.equal(compactForm('Đ\u0301'), 'd');
  });

  test('property: case, diacritics and spacing of a form never change its command', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_FORMS), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), fc.array(fc.nat(3), { minLength: 40, maxLength: 40 }), fc.boolean(), ({ form, command }, upper, spaces, strip) => {
        const base = strip ? stripMarks(form) : form;
        const typed = [...base].map((c, i) => (upper[i % 40] ? c.toUpperCase() : c.toLowerCase()) + ' '.repeat(spaces[i % 40]!)).join('');
        assert.deepEqual(parseSmsCommand(typed), { command, unaccented: false, recognised: true });
      }),
      { numRuns: 500 },
    );
  });

  test('property: any text gets a command; not recognised means the help, accented', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = parseSmsCommand(text);
        assert.ok(SMS_COMMANDS.includes(r.command));
        if (!r.recognised) assert.deepEqual(r, { command: 'help', unaccented: false, recognised: false });
      }),
      { numRuns: 2000 },
    );
  });

  test('property: a word that is no form, with or without KD, is not recognised', () => {
    const known = new Set(ALL_FORMS.map((f) => compactForm(f.form)));
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,12}$/), (word) => {
        fc.pre(!known.has(word) && !['kd', 'khongdau', 'dancu'].some((s) => word.startsWith(s) || word.endsWith(s)));
        assert.equal(parseSmsCommand(word).recognised, false);
        assert.equal(parseSmsCommand(`${word} KD`).recognised, false);
      }),
      { numRuns: 1000 },
    );
  });

  test('no two commands share a form, and forms do not collide with KD or the prefix', () => {
    const seen = new Map<string, string>();
    for (const { form, command } of ALL_FORMS) {
      const k = compactForm(form);
      assert.ok(k.length > 0);
      assert.equal(seen.get(k) ?? command, command, `${form} is two commands`);
      seen.set(k, command);
      for (const s of [...UNACCENTED_FORMS, ...SERVICE_PREFIXES].map(compactForm)) assert.notEqual(k, s);
    }
    assert.deepEqual([...new Set(SMS_KEYWORDS.map((k) => k.command))].sort(), [...SMS_COMMANDS].sort());
  });
});

describe('SMS help', () => {
  test('the help lists every command but help by its short code and meaning, and the KD suffix', () => {
    assert.equal(
      helpText(),
      [
        'Tra cứu dữ liệu dân cư của bạn, nhắn:',
        'CN: họ tên, ngày sinh, số định danh, số CMND cũ',
        'CT: nơi thường trú, tạm trú và nơi ở hiện tại',
        'CT TH: nơi thường trú',
        'CT TA: nơi tạm trú',
        'CT HT: nơi ở hiện tại',
        'HK: chủ hộ và các thành viên',
        'THẺ: tình trạng thẻ căn cước',
        'NK: các lần gần nhất dữ liệu của bạn được sử dụng: ai, khi nào, vì sao',
        'KHÓA TK: khóa ngay tài khoản định danh điện tử nhận mã qua số này (mất điện thoại); mở khóa trên cổng dịch vụ',
        'Thêm KD để nhận trả lời không dấu (vd: CN KD).',
        'Chỉ trả lời cho số điện thoại đã đăng ký chính chủ.',
      ].join('\n'),
    );
    assert.equal(USAGE_ITEMS, 5);
  });

  test('the JSON document carries every keyword with its forms and the same text', () => {
    const d = helpDocument();
    assert.equal(d.text, helpText());
    assert.deepEqual(d.unaccented, ['KD', 'KHÔNG DẤU']);
    assert.deepEqual(d.prefixes, ['DANCU', 'DÂN CƯ']);
    assert.equal(d.keywords.length, SMS_KEYWORDS.length);
    assert.deepEqual(d.keywords[0], { command: 'identity', forms: ['CN', 'CÁ NHÂN', 'THÔNG TIN', 'THÔNG TIN CÁ NHÂN'], meaning: 'họ tên, ngày sinh, số định danh, số CMND cũ' });
    assert.deepEqual(d.keywords.at(-1), { command: 'help', forms: ['HD', 'HƯỚNG DẪN', 'TRỢ GIÚP', 'HELP', '?'], meaning: 'hướng dẫn này' });
    for (const k of d.keywords) for (const f of k.forms) assert.equal(parseSmsCommand(f).command, k.command);
  });
});
