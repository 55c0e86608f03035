/**
 * What the SMS channel is doing, read from the store so that any process — /metrics of every server
 * process, `dancu sms status` — sees every gateway's links and the shared queue without binding itself
 * (decision 0037). Counters are the outbox rows by state: they survive restarts and are the same
 * whichever process is asked.
 */
import type { Db } from '../../store/schema.js';
import { listSmsLinks, type SmsLink } from '../../store/repositories/sms-links.js';
import { listOutbox, OUTBOX_STATES, outboxCounts, outboxTroubles, type OutboxRow, type OutboxState } from '../../store/repositories/sms-outbox.js';
import { inboxCounts } from '../../store/repositories/sms-inbox.js';
import { systemClock, type Clock } from '../clock.js';

// The states' names and list (no store work) for `dancu sms queue --state` and its output.
export { OUTBOX_STATES, type OutboxRow, type OutboxState };

/** A gateway refreshes its rows every 10 s; one silent for 30 s has stopped. */
export const LINK_STALE_MS = 30_000;

export interface SmsStatus {
  links: SmsLink[];
  outbox: Record<OutboxState, number>;
  queueDepth: number;
  throttled: number;
  uncertain: number;
  inbox: { received: number; unanswered: number };
  lastErrors: { messageId: string; at: string; error: string }[];
}

export async function smsStatus(db: Db, clock: Clock = systemClock): Promise<SmsStatus> {
  const now = clock.now().getTime();
  const [links, outbox, troubles, inbox] = await Promise.all([listSmsLinks(db, new Date(now - LINK_STALE_MS).toISOString()), outboxCounts(db), outboxTroubles(db), inboxCounts(db)]);
  return { links, outbox, queueDepth: outbox.queued + outbox.sending, throttled: troubles.throttled, uncertain: troubles.uncertain, inbox, lastErrors: troubles.lastErrors };
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Prometheus text (exposition format 0.0.4) of the SMS channel. */
export function smsPrometheus(s: SmsStatus): string {
  const lines: string[] = [];
  const smscs = [...new Set(s.links.map((l) => l.smsc))].sort();
  lines.push('# HELP dancu_sms_binds SMPP binds up per SMSC (over every running gateway).', '# TYPE dancu_sms_binds gauge');
  for (const smsc of smscs) lines.push(`dancu_sms_binds{smsc="${label(smsc)}"} ${s.links.filter((l) => l.smsc === smsc && l.state === 'bound').length}`);
  lines.push('# HELP dancu_sms_links_down SMPP links down per SMSC (a gateway trying to bind).', '# TYPE dancu_sms_links_down gauge');
  for (const smsc of smscs) lines.push(`dancu_sms_links_down{smsc="${label(smsc)}"} ${s.links.filter((l) => l.smsc === smsc && l.state === 'down').length}`);
  lines.push('# HELP dancu_sms_bind_failures_total Binds refused by the SMSC (running gateways).', '# TYPE dancu_sms_bind_failures_total counter');
  for (const smsc of smscs) lines.push(`dancu_sms_bind_failures_total{smsc="${label(smsc)}"} ${s.links.filter((l) => l.smsc === smsc).reduce((n, l) => n + l.bindFailures, 0)}`);
  lines.push('# HELP dancu_sms_queue_depth Outgoing messages waiting to be sent (queued or being sent).', '# TYPE dancu_sms_queue_depth gauge', `dancu_sms_queue_depth ${s.queueDepth}`);
  lines.push('# HELP dancu_sms_messages Outgoing messages by state.', '# TYPE dancu_sms_messages gauge');
  for (const state of OUTBOX_STATES) lines.push(`dancu_sms_messages{state="${state}"} ${s.outbox[state]}`);
  const sent = s.outbox.submitted + s.outbox.delivered + s.outbox.failed;
  lines.push('# HELP dancu_sms_sent_total Messages the SMSC accepted (submitted, then delivered or failed).', '# TYPE dancu_sms_sent_total counter', `dancu_sms_sent_total ${sent}`);
  lines.push('# HELP dancu_sms_delivered_total Messages with delivery receipts for every part.', '# TYPE dancu_sms_delivered_total counter', `dancu_sms_delivered_total ${s.outbox.delivered}`);
  lines.push('# HELP dancu_sms_failed_total Messages refused by the SMSC or receipted undelivered.', '# TYPE dancu_sms_failed_total counter', `dancu_sms_failed_total ${s.outbox.failed}`);
  lines.push('# HELP dancu_sms_expired_total Messages that expired before they could be sent.', '# TYPE dancu_sms_expired_total counter', `dancu_sms_expired_total ${s.outbox.expired}`);
  lines.push('# HELP dancu_sms_throttled_total Submits answered ESME_RTHROTTLED or ESME_RMSGQFUL (then backed off).', '# TYPE dancu_sms_throttled_total counter', `dancu_sms_throttled_total ${s.throttled}`);
  lines.push('# HELP dancu_sms_uncertain_total Submits sent again after their outcome was unknown (decision 0037).', '# TYPE dancu_sms_uncertain_total counter', `dancu_sms_uncertain_total ${s.uncertain}`);
  lines.push('# HELP dancu_sms_received_total Incoming messages stored.', '# TYPE dancu_sms_received_total counter', `dancu_sms_received_total ${s.inbox.received}`);
  lines.push('# HELP dancu_sms_unanswered Incoming messages not yet answered.', '# TYPE dancu_sms_unanswered gauge', `dancu_sms_unanswered ${s.inbox.unanswered}`);
  return `${lines.join('\n')}\n`;
}

/** The latest outgoing messages, newest first, of one state or all (`dancu sms queue`). */
export const latestSmsOutbox = (db: Db, options: { state?: OutboxState; limit: number }): Promise<OutboxRow[]> => listOutbox(db, options);
