/**
 * Chat routes under /api/v1:
 *   GET  /chat/socket               the visitors' WebSocket (public; visitors prove themselves with their visitor token)
 *   POST /chat/uploads              a visitor's file, referenced by a following message (public; visitor token)
 *   POST /conversations/:id/typing  an agent is typing (agents)
 *
 * Frames are JSON. Visitor → server: hello {account, visitorToken?, conversationId?, lastSeq?, queue?},
 * start {name, email?, lang?, queue?, text, clientId, uploads?}, message {clientId, text, uploads?}, typing {on},
 * leave {transcript?: email} (end the chat, optionally mailing its transcript), rate {score 1–5, comment?,
 * conversationId?} (the answer to a satisfaction prompt).
 * Server → visitor: welcome {visitorToken, conversationId, mode, availability}, ack {clientId, messageId, conversationId},
 * message {seq, id, from, text, clientId, attachments, at}, typing {on}, availability {available, reason?},
 * moved_to_email {conversationId}, ended {conversationId, outcome, transcript?: the address it was mailed to},
 * error {code, message, field?, clientId?},
 * survey {conversationId, question, language, labels, thanks, expiresAt} (satisfaction prompt: after solved while the
 * visitor is connected, or right after the visitor ends an answered chat), rated {conversationId, score, thanks}.
 *
 * New messages reach this process through the changes channel (LISTEN/NOTIFY), so an agent answering through any
 * server process reaches the visitor's socket on this one; each socket is sent the chat's messages after the last seq it
 * was sent, and a reconnecting widget says which seq it has.
 */
import { cleanDeep } from '../../../platform/clean-text.js';
import { Type } from 'typebox';
import type { WebSocket } from 'ws';
import type { App } from '../../../server/types.js';
import { who } from '../../../server/auth.js';
import { IdParams } from '../../../server/schemas.js';
import { CHANGES_CHANNEL } from '../../../platform/changes.js';
import { AppError } from '../../../platform/errors.js';
import * as svc from './chat.service.js';
import { answerChat, chatPrompt, surveyInChat } from '../../csat/index.js';
import { isUuid } from '../../../platform/errors.js';
import { transcriptAddress } from './transcript.js';
import { SocketUpgrade, Upload, UploadBody } from './chat.schemas.js';

interface Sock {
  ws: WebSocket;
  ip: string;
  session: svc.Session | null;
  token: string | null;
  conversationId: string | null;
  sentSeq: number;
  queue: Awaited<ReturnType<typeof svc.resolveQueue>>;
  avail: svc.Availability | null;
  chain: Promise<void>;
  typingAt: number;
  typingOn: boolean;
  /** The chat whose satisfaction prompt this socket was shown (issue 7). */
  surveyShown: string | null;
  /** Closes the socket if no hello frame arrives in time (issue 14); cleared by the hello. */
  helloTimer: NodeJS.Timeout | null;
}

const send = (s: Sock, frame: Record<string, unknown>) => {
  if (s.ws.readyState === 1) s.ws.send(JSON.stringify(frame));
};

const errFrame = (err: any, clientId?: unknown) => {
  const known = err instanceof AppError;
  return {
    type: 'error',
    code: known ? err.code : 'internal',
    message: known ? err.message : 'Something went wrong; try again',
    ...(known && err.details?.field ? { field: err.details.field } : {}),
    ...(typeof clientId === 'string' ? { clientId } : {}),
  };
};

export class ChatHub {
  readonly socks = new Set<Sock>();
  private byConv = new Map<string, Set<Sock>>();
  private pumping = new Map<string, { again: boolean }>();
  private newSessions = new Map<string, { n: number; reset: number }>();
  /** Open sockets per client address, and the sockets that have not said hello yet (issue 14 item 6). */
  private perIp = new Map<string, number>();
  private waitingHello = new Set<Sock>();
  private stopListen: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  closing = false;

  constructor(private app: App) {}

  get ctx() {
    return this.app.ctx;
  }

  async start() {
    this.stopListen = await this.ctx.db.listen(CHANGES_CHANNEL, (payload) => this.onChange(payload));
    this.timer = setInterval(() => void this.refreshAvailability().catch(() => {}), 30_000);
    this.timer.unref();
  }

  async stop() {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of this.socks) s.ws.close(1001, 'server shutting down');
    await this.stopListen?.();
  }

  private onChange(payload: string) {
    let c: { type?: string; conversationId?: string; from?: string; on?: boolean };
    try {
      c = JSON.parse(payload);
    } catch {
      return;
    }
    if (!c.conversationId || !this.byConv.has(c.conversationId)) return;
    if (c.type === 'message.created') void this.pump(c.conversationId);
    else if (c.type === 'conversation.updated') void this.offerSurvey(c.conversationId);
    else if (c.type === 'chat.typing' && c.from === 'agent')
      for (const s of this.byConv.get(c.conversationId) ?? []) send(s, { type: 'typing', on: !!c.on });
  }

  /** Sends each socket of the chat the messages after the last seq it was sent; one pump per chat at a time. */
  async pump(conversationId: string) {
    const running = this.pumping.get(conversationId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: true };
    this.pumping.set(conversationId, state);
    try {
      while (state.again) {
        state.again = false;
        const socks = [...(this.byConv.get(conversationId) ?? [])];
        if (!socks.length) break;
        const from = Math.min(...socks.map((s) => s.sentSeq));
        const list = await svc.deliveriesAfter(this.ctx, conversationId, from);
        for (const s of socks) {
          if (s.conversationId !== conversationId) continue;
          for (const d of list) if (d.seq > s.sentSeq) send(s, { type: 'message', ...d });
          if (list.length) s.sentSeq = Math.max(s.sentSeq, list[list.length - 1].seq);
        }
      }
    } catch (err: any) {
      if (!this.closing) this.app.log.error({ err: err?.message, conversationId }, 'chat delivery failed');
    } finally {
      this.pumping.delete(conversationId);
    }
  }

  /** Satisfaction (issue 7): shows the chat's pending survey prompt to its sockets that have not seen it. */
  async offerSurvey(conversationId: string) {
    try {
      const socks = [...(this.byConv.get(conversationId) ?? [])].filter((s) => s.surveyShown !== conversationId);
      if (!socks.length) return;
      const prompt = await chatPrompt(this.ctx, conversationId);
      if (!prompt) return;
      for (const s of socks) {
        if (s.conversationId !== conversationId || s.surveyShown === conversationId) continue;
        s.surveyShown = conversationId;
        send(s, { type: 'survey', ...prompt });
      }
    } catch (err: any) {
      if (!this.closing) this.app.log.error({ err: err?.message, conversationId }, 'chat survey prompt failed');
    }
  }

  private attach(s: Sock, conversationId: string, sentSeq: number) {
    if (s.conversationId === conversationId) return;
    this.detach(s);
    s.conversationId = conversationId;
    s.sentSeq = sentSeq;
    let set = this.byConv.get(conversationId);
    if (!set) {
      set = new Set();
      this.byConv.set(conversationId, set);
    }
    set.add(s);
  }

  private detach(s: Sock) {
    if (!s.conversationId) return;
    const set = this.byConv.get(s.conversationId);
    set?.delete(s);
    if (set && !set.size) this.byConv.delete(s.conversationId);
    s.conversationId = null;
    s.sentSeq = 0;
  }

  private sessionSocks(sessionId: string) {
    return [...this.socks].filter((x) => x.session?.id === sessionId);
  }

  /**
   * PUBLIC_RATE_LIMIT per key and minute: new visitor sessions per address (`ip:…`; reconnects with a token are not
   * counted) and stored writes (start, message) per visitor session (`w:…`).
   */
  private allow(key: string) {
    const now = Date.now();
    const e = this.newSessions.get(key);
    if (!e || e.reset <= now) {
      if (this.newSessions.size > 10_000) for (const [k, v] of this.newSessions) if (v.reset <= now) this.newSessions.delete(k);
      this.newSessions.set(key, { n: 1, reset: now + 60_000 });
      return true;
    }
    return ++e.n <= this.ctx.config.publicRateLimit;
  }

  /**
   * A new visitor socket. Bounded (issue 14 item 6): at most WS_MAX_PER_IP open sockets per client address (4029),
   * at most WS_MAX_UNAUTHENTICATED sockets in this process that have not said hello yet (1013, try again later), and
   * a socket that has not said hello within WS_HELLO_TIMEOUT_MS is closed (4008). Each refusal is an error frame first.
   */
  connect(ws: WebSocket, ip: string) {
    const { wsMaxPerIp, wsMaxUnauthenticated, wsHelloTimeoutMs } = this.ctx.config;
    const refuse = (code: number, errCode: string, message: string) => {
      if (ws.readyState === 1) ws.send(JSON.stringify({ type: 'error', code: errCode, message }));
      ws.close(code, errCode);
    };
    if ((this.perIp.get(ip) ?? 0) >= wsMaxPerIp)
      return refuse(4029, 'too_many_sockets', `At most ${wsMaxPerIp} chat connections from one address; close another one first`);
    if (this.waitingHello.size >= wsMaxUnauthenticated) return refuse(1013, 'busy', 'The chat is busy; try again in a moment');
    const s: Sock = { ws, ip, session: null, token: null, conversationId: null, sentSeq: 0, queue: null, avail: null, chain: Promise.resolve(), typingAt: 0, typingOn: false, surveyShown: null, helloTimer: null };
    this.socks.add(s);
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    this.waitingHello.add(s);
    s.helloTimer = setTimeout(() => {
      if (!this.waitingHello.has(s)) return;
      send(s, { type: 'error', code: 'hello_timeout', message: `Say hello within ${Math.round(wsHelloTimeoutMs / 1000)} s of connecting` });
      ws.close(4008, 'hello_timeout');
    }, wsHelloTimeoutMs);
    s.helloTimer.unref();
    ws.on('message', (raw, isBinary) => {
      let frame: any;
      try {
        frame = isBinary ? null : cleanDeep(JSON.parse(raw.toString()));
      } catch {}
      if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') {
        send(s, { type: 'error', code: 'bad_frame', message: 'Frames are JSON objects with a type' });
        return;
      }
      // One frame at a time per socket, so a visitor's messages are stored in the order sent.
      s.chain = s.chain.then(() => this.handle(s, frame)).catch((err) => {
        if (!(err instanceof AppError) && !this.closing) this.app.log.error({ err: err?.message, frame: frame.type }, 'chat frame failed');
        send(s, errFrame(err, frame.clientId));
      });
    });
    ws.on('close', () => {
      this.socks.delete(s);
      this.heard(s);
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n > 0) this.perIp.set(ip, n);
      else this.perIp.delete(ip);
      const conv = s.conversationId;
      this.detach(s);
      if (!conv || !s.session || this.closing) return;
      // Other tabs of the same visitor on this process keep the chat alive.
      if (this.sessionSocks(s.session.id).some((x) => x.conversationId === conv)) return;
      void s.chain.then(() => svc.visitorGone(this.ctx, conv)).catch(() => {});
    });
  }

  /** The socket said hello (or closed): it no longer waits, and its timer is off. */
  private heard(s: Sock) {
    this.waitingHello.delete(s);
    if (s.helloTimer) clearTimeout(s.helloTimer);
    s.helloTimer = null;
  }

  private async handle(s: Sock, f: any) {
    if (f.type === 'hello') return this.hello(s, f);
    if (!s.session) throw new AppError('hello_first', 'Say hello first', 400);
    const session = s.session;
    if ((f.type === 'start' || f.type === 'message' || f.type === 'rate' || f.type === 'leave') && !this.allow(`w:${session.id}`))
      throw new AppError('rate_limited', 'Too many messages from this chat; wait a minute and send again', 429);
    switch (f.type) {
      case 'start': {
        const r = await svc.startChat(this.ctx, session, { ...f, queue: f.queue ?? s.queue?.id });
        for (const x of this.sessionSocks(session.id)) this.attach(x, r.conversationId, 0);
        send(s, { type: 'ack', clientId: f.clientId, messageId: r.messageId, conversationId: r.conversationId });
        if (r.mode === 'email') for (const x of this.sessionSocks(session.id)) send(x, { type: 'moved_to_email', conversationId: r.conversationId });
        void this.pump(r.conversationId);
        return;
      }
      case 'message': {
        const r = await svc.visitorMessage(this.ctx, session, f);
        if (s.conversationId !== r.conversationId) this.attach(s, r.conversationId, 0);
        send(s, { type: 'ack', clientId: f.clientId, messageId: r.messageId, conversationId: r.conversationId });
        void this.pump(r.conversationId);
        return;
      }
      case 'typing': {
        const on = !!f.on;
        const now = Date.now();
        if (!s.conversationId || (on === s.typingOn && now - s.typingAt < 2000)) return;
        s.typingOn = on;
        s.typingAt = now;
        await svc.publishTyping(this.ctx.db, session.accountId, s.conversationId, 'visitor', on);
        return;
      }
      case 'rate': {
        // The answer to the satisfaction prompt (issue 7): {score 1–5, comment?, conversationId?}, stored with the portal's
        // and the email survey's. The prompt after an ended chat names its chat (the socket has left it); answerChat
        // checks that chat is this visitor session's.
        const named = typeof f.conversationId === 'string' && isUuid(f.conversationId) ? f.conversationId : null;
        const conv = named ?? s.conversationId ?? (await svc.openChat(this.ctx, session))?.conversationId ?? null;
        const r = await answerChat(this.ctx, session.id, conv, f.score, f.comment);
        for (const x of this.sessionSocks(session.id)) if (x === s || x.conversationId === r.conversationId) send(x, { type: 'rated', ...r });
        return;
      }
      case 'leave': {
        // {transcript?: email}: the visitor ends the chat, optionally asking for the transcript by email (issue 13).
        const conv = s.conversationId ?? (await svc.openChat(this.ctx, session))?.conversationId;
        if (!conv) return;
        const transcriptTo = f.transcript === undefined || f.transcript === null || f.transcript === '' ? undefined : transcriptAddress(f.transcript);
        const r = await svc.endChat(this.ctx, conv, 'left', undefined, { transcriptTo });
        const socks = this.sessionSocks(session.id);
        for (const x of socks) {
          if (x.conversationId === conv) this.detach(x);
          send(x, { type: 'ended', conversationId: conv, outcome: r?.outcome ?? 'left', ...(r?.transcript ? { transcript: transcriptTo } : {}) });
        }
        // Satisfaction is asked now, in the widget that is still open, when an agent answered this chat.
        const prompt = r ? await surveyInChat(this.ctx, conv) : null;
        if (prompt)
          for (const x of socks) {
            x.surveyShown = conv;
            send(x, { type: 'survey', ...prompt });
          }
        return;
      }
      default:
        throw new AppError('bad_frame', `Unknown frame type '${String(f.type).slice(0, 40)}'`, 400);
    }
  }

  private async hello(s: Sock, f: any) {
    if (s.session) throw new AppError('bad_frame', 'hello was already said on this socket', 400);
    const accountId = await svc.accountBySlug(this.ctx, f.account);
    if (!accountId) {
      send(s, { type: 'error', code: 'unknown_account', message: `Unknown account '${String(f.account ?? '').slice(0, 64)}'` });
      s.ws.close(4004, 'unknown account');
      return;
    }
    let session = await svc.sessionByToken(this.ctx, f.visitorToken, accountId);
    let token = session ? (f.visitorToken as string) : null;
    if (!session) {
      if (!this.allow(`ip:${s.ip}`)) {
        send(s, { type: 'error', code: 'rate_limited', message: 'Too many new chats from this address; try again in a minute' });
        s.ws.close(4029, 'rate limited');
        return;
      }
      const created = await svc.createSession(this.ctx, accountId, s.ip);
      session = created.session;
      token = created.token;
    }
    s.session = session;
    s.token = token;
    this.heard(s);
    try {
      s.queue = await svc.resolveQueue(this.ctx, accountId, f.queue);
    } catch (err) {
      send(s, errFrame(err));
    }
    const open = await svc.openChat(this.ctx, session);
    const avail = await svc.availability(this.ctx, accountId, s.queue);
    s.avail = avail;
    let lastSeq = 0;
    if (open) {
      const same = f.conversationId === undefined || f.conversationId === null || f.conversationId === open.conversationId;
      lastSeq = same && Number.isInteger(f.lastSeq) && f.lastSeq > 0 ? f.lastSeq : 0;
      await svc.visitorBack(this.ctx, open.conversationId);
    }
    send(s, {
      type: 'welcome',
      visitorToken: token,
      conversationId: open?.conversationId ?? null,
      mode: open?.mode ?? null,
      availability: avail,
    });
    if (open) {
      this.attach(s, open.conversationId, lastSeq);
      void this.pump(open.conversationId);
      void this.offerSurvey(open.conversationId);
    }
  }

  /** Tells sockets when their queue's availability changed (agents' presence, business hours). */
  async refreshAvailability() {
    const cache = new Map<string, svc.Availability>();
    for (const s of [...this.socks]) {
      if (!s.session) continue;
      const key = `${s.session.accountId}:${s.queue?.id ?? ''}`;
      let a = cache.get(key);
      if (!a) {
        a = await svc.availability(this.ctx, s.session.accountId, s.queue);
        cache.set(key, a);
      }
      if (s.avail?.available !== a.available || s.avail?.reason !== a.reason) {
        s.avail = a;
        send(s, { type: 'availability', ...a });
      }
    }
  }
}

export default async function chatRoutes(api: App) {
  const ctx = api.ctx;
  const hub = new ChatHub(api);
  api.addHook('onReady', () => hub.start());
  api.addHook('onClose', () => hub.stop());
  // @fastify/websocket hides WebSocket routes from the OpenAPI document; this one is part of the API, so show it.
  api.addHook('onRoute', (r) => {
    if (r.url === '/api/v1/chat/socket' && r.schema) r.schema.hide = false;
  });

  api.get('/chat/socket', {
    websocket: true,
    config: { auth: false },
    schema: {
      tags: ['chat'],
      summary: 'WebSocket of the chat widget (public: visitors prove themselves with their visitor token; frames in docs/channels-chat.md)',
      security: [],
      response: SocketUpgrade,
    },
  }, (socket, req) => hub.connect(socket as unknown as WebSocket, req.ip));

  api.post('/chat/uploads', {
    config: { auth: false, rateLimit: { max: ctx.config.publicRateLimit, timeWindow: '1 minute' } },
    bodyLimit: Math.ceil(svc.MAX_UPLOAD_BYTES * 1.4) + 4096,
    schema: {
      tags: ['chat'],
      summary: "A chat visitor's file (≤ 5 MiB): JSON {visitorToken, filename, contentType, data: base64}, sent as text/plain or JSON so the widget needs no CORS preflight; answers the upload id a following message references",
      security: [],
      body: UploadBody,
      response: { 201: Upload },
    },
  }, async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    let body: any = req.body;
    if (typeof body === 'string') {
      try {
        body = cleanDeep(JSON.parse(body));
      } catch {
        throw new AppError('validation', 'body: JSON {visitorToken, filename, contentType, data}', 400);
      }
    }
    if (!body || typeof body !== 'object') throw new AppError('validation', 'body: JSON {visitorToken, filename, contentType, data}', 400);
    const session = await svc.sessionByToken(ctx, body.visitorToken);
    if (!session) throw new AppError('unauthorized', 'Unknown visitor token', 401);
    return reply.code(201).send(await svc.saveUpload(ctx, session, body));
  });

  api.post('/conversations/:id/typing', {
    schema: {
      tags: ['chat'],
      summary: 'The agent is typing (on) or stopped (off): shown in the visitor\'s chat widget',
      params: IdParams,
      body: Type.Object({ on: Type.Boolean() }, { additionalProperties: false }),
      response: { 204: Type.Null() },
    },
  }, async (req, reply) => {
    await svc.agentTyping(ctx, who(req), req.params.id, req.body.on);
    return reply.code(204).send(null);
  });
}
