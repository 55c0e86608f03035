/**
 * A process that queues SMS_COUNT messages to SMS_TO (keys SMS_KEY:0…) at DANCU_DATABASE_URL and prints
 * their concatenation references as JSON: run twice, it is a restart of whatever enqueues.
 */
import { openRuntime } from '../../src/services/runtime.js';
import { enqueueSms } from '../../src/services/sms/outbox.js';

const rt = await openRuntime({ databaseUrl: process.env.DANCU_DATABASE_URL!, dataDir: process.env.DANCU_DATA_DIR!, pgPoolSize: 2 });
const refs: number[] = [];
for (let i = 0; i < Number(process.env.SMS_COUNT ?? 1); i++) {
  const { message } = await enqueueSms(rt.store.db, { to: process.env.SMS_TO!, text: `${'Thông báo dài. '.repeat(8)}${i}`, key: `${process.env.SMS_KEY}:${i}`, kind: 'notice' });
  refs.push(message.concatRef);
}
process.stdout.write(`${JSON.stringify(refs)}\n`);
await rt.close();
