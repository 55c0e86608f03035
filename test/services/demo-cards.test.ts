/** Every card of a seeded population verifies at the counter from its own QR (text and photo). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestRuntime, type TestRuntime } from '../support/store.js';
import { fixedClock } from '../../src/services/clock.js';
import { seedPopulation } from '../../src/services/seed.js';
import { getCardStatus } from '../../src/services/cards/lifecycle.js';
import { getCardQr, verifyCardQr } from '../../src/services/cards/qr.js';
import { renderQrPng } from '../../src/documents/qr-image.js';

const clock = fixedClock('2026-11-22T09:00:00.000Z');
let rt: TestRuntime;
before(async () => {
  rt = await openTestRuntime(clock);
  await seedPopulation(rt.store, rt.catalogue.categories, clock, { seed: 3, count: 600 });
});
after(async () => rt.dropDatabase());

test('seeded cards of every generation, and each CCCD / căn cước verifies from its QR', async () => {
  const people = await rt.store.db.selectFrom('citizen').select('personal_id').orderBy('personal_id').execute();
  const generations = new Map<string, number>();
  const statuses = new Map<string, number>();
  let verified = 0;
  for (const { personal_id } of people) {
    const report = await getCardStatus(rt.ctx, personal_id);
    for (const card of report.cards) {
      generations.set(card.generation, (generations.get(card.generation) ?? 0) + 1);
      statuses.set(card.status, (statuses.get(card.status) ?? 0) + 1);
      if (card.generation === 'CMND') continue;
      const qr = await getCardQr(rt.ctx, rt.catalogue, personal_id, card.seq);
      const result = await verifyCardQr(rt.ctx, rt.catalogue, { payload: qr.payload });
      assert.equal(result.verdict, 'authentic', `${personal_id}#${card.seq}: ${JSON.stringify(result.fields?.filter((f) => !f.matches))}`);
      assert.equal(result.card?.seq, card.seq);
      assert.equal(result.card?.status, card.status);
      verified++;
    }
  }
  for (const g of ['CMND', 'CCCD', 'CAN_CUOC']) assert.ok((generations.get(g) ?? 0) > 10, `${g}: ${generations.get(g)}`);
  for (const s of ['valid', 'expired', 'replaced']) assert.ok((statuses.get(s) ?? 0) > 0, `${s}: ${JSON.stringify([...statuses])}`);
  assert.ok(verified > 300, String(verified));

  // A photo of one of them verifies the same way.
  const someone = people.find(() => true)!.personal_id;
  const report = await getCardStatus(rt.ctx, someone);
  const card = report.cards.find((c) => c.generation !== 'CMND');
  if (card) {
    const qr = await getCardQr(rt.ctx, rt.catalogue, someone, card.seq);
    const photo = await verifyCardQr(rt.ctx, rt.catalogue, { image: await renderQrPng(qr.payload) });
    assert.equal(photo.verdict, 'authentic');
  }
});
