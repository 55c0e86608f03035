/**
 * Usage counters set right when a server starts (decision 0036). A call claims its place in its
 * connection's counters before it is served and gives it back if it is not; a crash in between
 * leaves a counter ahead of the access log (a call counted, never recorded), so the connection would
 * be refused a little early for the rest of the period. On start, before serving, every connection
 * that may serve has its current day, hour and minute (and the minute before) set to its served
 * entries. `dancu serve --workers N` does it once, in the primary, before the workers start.
 */
import { usagePeriodSpans } from '../../domain/exchange/rate-limit.js';
import { reconcileUsage } from '../../store/repositories/access-log.js';
import { connectionsWithCounters } from '../../store/repositories/connection-usage.js';
import type { ServiceContext } from '../context.js';

/** Returns how many connections were set right. */
export async function reconcileUsageOnStart(ctx: ServiceContext): Promise<number> {
  const spans = usagePeriodSpans(ctx.clock.now().toISOString());
  const ids = await connectionsWithCounters(ctx.store.db);
  // One transaction per connection: each touches that connection's counters only.
  for (const id of ids) await ctx.store.transaction((tx) => reconcileUsage(tx, id, spans));
  return ids.length;
}
