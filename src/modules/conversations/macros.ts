/** Macros on a conversation: rendering one for the reply box, and applying one (reply or note plus its actions). */
import type { Ctx, Principal } from '../../platform/context.js';
import { getMacro, render } from '../macros/index.js';
import { getConversation } from './read.js';
import { addNote, reply } from './messages.js';
import { updateConversation, type ConversationPatch } from './update.js';


export async function renderMacroFor(ctx: Ctx, p: Principal, id: string, macroId: string) {
  const conv = await getConversation(ctx, p, id);
  const macro = await getMacro(ctx, p, macroId);
  const agent = p.userId ? (await ctx.db.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [p.userId])).rows[0] : null;
  const account = (await ctx.db.query<{ name: string }>('SELECT name FROM accounts WHERE id = $1', [p.accountId])).rows[0];
  const customerName: string | null = conv.customer.name;
  const text = render(macro.body, {
    'customer.name': customerName,
    'customer.first_name': customerName?.split(/\s+/)[0],
    'customer.email': conv.customer.identities.find((i: any) => i.kind === 'email')?.value,
    'agent.name': agent?.name,
    'agent.first_name': agent?.name.split(/\s+/)[0],
    'conversation.number': conv.number,
    'conversation.subject': conv.subject,
    'account.name': account.name,
  });
  return { macro, text };
}

/** Applies a macro: posts its rendered reply (or note) and carries out its actions. */
export async function applyMacro(ctx: Ctx, p: Principal, id: string, macroId: string) {
  const { macro, text } = await renderMacroFor(ctx, p, id, macroId);
  const a = macro.actions;
  const message = macro.kind === 'note' ? await addNote(ctx, p, id, { text }) : await reply(ctx, p, id, { text, status: a.status });
  const patch: ConversationPatch = {};
  if (a.priority) patch.priority = a.priority;
  if (a.queueId) patch.queueId = a.queueId;
  if (macro.kind === 'note' && a.status) patch.status = a.status;
  if (a.addTags?.length) {
    const conv = await getConversation(ctx, p, id);
    patch.tags = [...new Set([...(conv.tags as string[]), ...a.addTags])];
  }
  const conversation = Object.keys(patch).length ? await updateConversation(ctx, p, id, patch) : await getConversation(ctx, p, id);
  return { message, conversation };
}

