/** GET /sms/help: the published SMS syntax, public, as text and as JSON (issue 14 item 4). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/http.js';
import { helpDocument, helpText } from '../../src/domain/sms/help.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => s.close());

describe('GET /sms/help', () => {
  test('text/plain by default, without a token: the help sent by SMS', async () => {
    const r = await s.call('GET', '/sms/help');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/);
    assert.equal(r.body, `${helpText()}\n`);
    assert.ok((r.body as string).includes('CN: họ tên, ngày sinh, số định danh, số CMND cũ'));
  });

  test('JSON when asked: every keyword with its forms', async () => {
    const r = await s.call('GET', '/sms/help', { headers: { accept: 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, helpDocument());
    assert.deepEqual(r.body.keywords.find((k: any) => k.command === 'household')?.forms, ['HK', 'HỘ', 'HỘ KHẨU', 'HỘ GIA ĐÌNH']);
  });
});
