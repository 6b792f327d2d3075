/** The generic CTI webhook: JSON call events from any telephony system, all or nothing. */
import type { Ctx, Principal } from '../../../platform/context.js';
import { requireCap } from '../../../platform/context.js';
import { audit } from '../../audit/index.js';
import { writeVoiceEvents } from './ingest.js';
import { mapCtiItem } from './mapping.js';

export async function ingestCti(ctx: Ctx, p: Principal, items: unknown[]) {
  requireCap(p, 'manage');
  // Every item is checked before anything is written: a bad one names its index and field and stores nothing.
  const events = items.map((it, i) => mapCtiItem(it, i));
  return ctx.db.transaction(async (tx) => {
    const r = await writeVoiceEvents(tx, p.accountId, events, { source: 'cti', callbacks: true });
    await audit(tx, p, 'voice.cti_events', { type: 'account', id: p.accountId }, { received: r.received, added: r.added, callbacks: r.callbacksOpened.length });
    return { received: r.received, added: r.added, duplicates: r.received - r.added, callbacksOpened: r.callbacksOpened, callbacksClosed: r.callbacksClosed };
  });
}
