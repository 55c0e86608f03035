/**
 * The access-to-visible probe of npm run bench (bench/accountability.ts runs it in a process of
 * its own, beside the load generator). Input on stdin: { base, officerToken, targets, samples }.
 * For each sample: note the newest entry the citizen sees, read the person as an officer (with a
 * purpose), then poll the citizen's /me/usage until a newer entry shows, then its receipt until it
 * is served. Output on stdout: { read, visible, receipt, failures } (ms from sending
 * the read). Only the probe touches these people, so the newer entry is the read's.
 */
import type { ProbeResult, ProbeTarget } from './accountability.js';

const input = JSON.parse(await new Promise<string>((resolve) => {
  let s = '';
  process.stdin.on('data', (d: Buffer) => (s += d.toString()));
  process.stdin.on('end', () => resolve(s));
})) as { base: string; officerToken: string; targets: ProbeTarget[]; samples: number };

/** A sample that shows nothing after this long is counted as failed (and would fail the target). */
const GIVE_UP_MS = 10_000;

async function newestEntry(t: ProbeTarget): Promise<{ entryId: string; action?: string } | undefined> {
  const res = await fetch(`${input.base}/me/usage?personalId=${t.personalId}&limit=1`, { headers: { authorization: `Bearer ${t.citizenToken}` } });
  if (res.status !== 200) throw new Error(`/me/usage answered ${res.status}`);
  const body = (await res.json()) as { items?: { entryId: string; action?: string }[] };
  return body.items?.[0];
}

async function receiptReady(t: ProbeTarget, entryId: string): Promise<boolean> {
  const res = await fetch(`${input.base}/me/usage/${entryId}/receipt?personalId=${t.personalId}`, { headers: { authorization: `Bearer ${t.citizenToken}` } });
  await res.arrayBuffer();
  if (res.status === 200) return true;
  if (res.status === 409) return false;
  throw new Error(`the receipt answered ${res.status}`);
}

const result: ProbeResult = { read: [], visible: [], receipt: [], failures: [] };

async function sample(i: number, t: ProbeTarget): Promise<void> {
  const before = (await newestEntry(t))?.entryId;
  const sent = performance.now();
  const read = await fetch(`${input.base}/citizens/${t.personalId}`, {
    headers: { authorization: `Bearer ${input.officerToken}`, 'x-purpose': 'bench: access-to-visible probe', 'x-request-id': `probe-${i}` },
  });
  await read.arrayBuffer();
  if (read.status !== 200) throw new Error(`the officer read answered ${read.status}`);
  result.read.push(performance.now() - sent);
  let entry: { entryId: string } | undefined;
  for (;;) {
    entry = await newestEntry(t);
    if (entry && entry.entryId !== before) break;
    if (performance.now() - sent > GIVE_UP_MS) throw new Error('not visible after 10 s');
  }
  result.visible.push(performance.now() - sent);
  while (!(await receiptReady(t, entry.entryId))) {
    if (performance.now() - sent > GIVE_UP_MS) throw new Error('no receipt after 10 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  result.receipt.push(performance.now() - sent);
}

// A few lanes at once, each with people of its own (a person's samples follow one another), so
// that hundreds of samples take a minute, not several; their traffic is small beside the load's.
const LANES = Math.min(5, input.targets.length);
let next = 0;
await Promise.all(
  Array.from({ length: LANES }, async (_, lane) => {
    const mine = input.targets.filter((_, k) => k % LANES === lane);
    for (let n = 0; ; n++) {
      const i = next++;
      if (i >= input.samples || result.failures.length > 20) return;
      try {
        await sample(i, mine[n % mine.length]!);
      } catch (e) {
        result.failures.push(e instanceof Error ? e.message : String(e));
      }
    }
  }),
);
process.stdout.write(JSON.stringify(result));
