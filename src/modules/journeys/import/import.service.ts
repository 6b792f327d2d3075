/**
 * Writes parsed contact events into an account: resolves queue names (creating the queues that are missing), appends
 * each batch through one `INSERT … SELECT FROM unnest(…)` with dedupe keys (so a re-import adds nothing), keeps the
 * contact-facts projection current in the same transaction, and rebuilds the wait sketches of the touched days at the
 * end. A batch is one transaction: an interrupted import keeps every batch that finished, and running it again adds
 * only what is missing.
 */
import { validateTimezone } from '../../../platform/business-hours.js';
import type { Ctx, Principal } from '../../../platform/context.js';
import { requireCap } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { getAccount } from '../../accounts/index.js';
import { appendEvents, type NewEvent } from '../../events/index.js';
import { ensureQueuesByName } from '../../queues/index.js';
import { recordChange } from '../../changes/index.js';
import { refreshSketches } from '../sketches.js';
import type { ParsedEvent, ParseReport } from './types.js';

export interface ImportSummary {
  source: string;
  received: number;
  added: number;
  duplicates: number;
  contacts: number;
  queuesCreated: string[];
  seconds: number;
  report?: ParseReport;
}

export interface ImportOptions {
  /** Where the events come from: 'queue-log', 'seelab', 'csv', 'events', 'simulate'. Stored as the event source. */
  source: string;
  /** IANA time zone of the input (journey windows are calendar days there); default: the account's. */
  tz?: string;
  report?: ParseReport;
  /** Called after each written batch with the number of events handled so far. */
  progress?: (done: number) => void;
}

/** The zone an import or report reads local times in: the one asked for (checked), else the account's. */
export async function zoneFor(ctx: Ctx, p: Principal, tz: string | undefined): Promise<string> {
  return tz ? validateTimezone(tz, 'tz') : (await getAccount(ctx, p)).timezone;
}

export async function importParsedEvents(
  ctx: Ctx,
  p: Principal,
  batches: Iterable<ParsedEvent[]> | AsyncIterable<ParsedEvent[]>,
  opts: ImportOptions,
): Promise<ImportSummary> {
  requireCap(p, 'manage');
  const started = performance.now();
  const queues = new Map<string, string>();
  const created: string[] = [];
  let received = 0;
  let added = 0;
  const contacts = new Set<string>();
  const accountTz = await zoneFor(ctx, p, opts.tz);

  try {
    for await (const batch of batches) {
      if (!batch.length) continue;
      received += batch.length;
      added += await ctx.db.transaction(async (tx) => {
        const names = batch.map((e) => e.queue).filter((q): q is string => !!q && !queues.has(q));
        if (names.length) {
          const got = await ensureQueuesByName(tx, p.accountId, names, accountTz);
          created.push(...got.created);
          for (const [name, id] of got.ids) queues.set(name, id);
        }
        const rows: NewEvent[] = batch.map((e) => {
          const contactId = opts.source === 'events' ? e.contactId : `${opts.source}:${e.contactId}`;
          contacts.add(contactId);
          const data: Record<string, unknown> = { ...(e.data ?? {}) };
          if (e.agent) data.agent = e.agent;
          if (e.queue) data.queue = e.queue;
          if (opts.tz && e.type === 'contact.arrived' && data.tz === undefined) data.tz = opts.tz;
          return {
            accountId: p.accountId,
            contactId,
            type: e.type,
            channel: e.channel,
            occurredAt: e.at,
            identity: e.identity ?? null,
            queueId: e.queue ? queues.get(e.queue)! : null,
            source: opts.source,
            dedupeKey: `${opts.source}:${e.key}`,
            data,
          };
        });
        return appendEvents(tx, rows);
      });
      opts.progress?.(received);
    }
  } catch (err) {
    // Batches that committed stay (each is whole), and a second run of the same input adds only what is missing:
    // say so, and keep the sketches and the audit true to what was kept.
    await refreshSketches(ctx.db, p.accountId);
    await ctx.db.transaction((tx) =>
      recordChange(tx, p, ctx.now(), {
        audit: { action: 'events.import_failed', target: { type: 'account', id: p.accountId }, data: { source: opts.source, received, added, error: (err as Error).message } },
      }),
    );
    if (err instanceof AppError)
      throw new AppError(err.code, `${err.message} (${added} events of earlier parts of the input were kept; importing it again adds only the rest)`, err.status, { ...err.details, kept: added });
    throw err;
  }
  await refreshSketches(ctx.db, p.accountId);
  const summary: ImportSummary = {
    source: opts.source,
    received,
    added,
    duplicates: received - added,
    contacts: contacts.size,
    queuesCreated: created,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    ...(opts.report ? { report: opts.report } : {}),
  };
  await ctx.db.transaction((tx) =>
    recordChange(tx, p, ctx.now(), {
      audit: { action: 'events.imported', target: { type: 'account', id: p.accountId }, data: {
        source: opts.source, received, added, contacts: contacts.size, malformed: opts.report?.malformedCount ?? 0,
      } },
    }),
  );
  return summary;
}
