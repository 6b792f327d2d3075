/**
 * The agents' realtime socket (GET /api/v1/realtime): change notifications carry ids only; the matching React Query
 * caches are invalidated so screens refetch what they show. Reconnects with backoff.
 */
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { paths } from '../api/schema';

/** A message of the socket, as the API documents it (OpenAPI has no WebSocket frames: the body of its 101 answer). */
export type ChangeMsg = paths['/api/v1/realtime']['get']['responses'][101]['content']['application/json'];
type Listener = (m: ChangeMsg) => void;
const listeners = new Set<Listener>();
/** Subscribe to raw change messages (typing indicators, viewers). */
export function onChange(fn: Listener) {
  listeners.add(fn);
  return () => void listeners.delete(fn);
}

export function useRealtime(enabled: boolean) {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let ws: WebSocket | null = null;
    let stopped = false;
    let delay = 1000;
    let wasOpen = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`);
      ws.onopen = () => {
        delay = 1000;
        setConnected(true);
        // Changes made while the socket was down (a restart, or a "resync" close after falling behind) were never
        // sent: refetch everything shown once the socket is back.
        if (wasOpen) void qc.invalidateQueries();
        wasOpen = true;
      };
      ws.onmessage = (ev) => {
        let m: ChangeMsg;
        try {
          m = JSON.parse(String(ev.data));
        } catch {
          return;
        }
        for (const l of listeners) l(m);
        if (m.type === 'conversation.created' || m.type === 'conversation.updated' || m.type === 'message.created') {
          void qc.invalidateQueries({ queryKey: ['conversations'] });
          if (m.conversationId) void qc.invalidateQueries({ queryKey: ['conversation', m.conversationId] });
        }
        if (m.type === 'viewers.changed' && m.conversationId) void qc.invalidateQueries({ queryKey: ['conversation', m.conversationId] });
        if (m.type === 'customer.updated' && m.customerId) void qc.invalidateQueries({ queryKey: ['customer', m.customerId] });
        if (m.type === 'feature.changed' && m.feature) void qc.invalidateQueries({ queryKey: [m.feature] });
        if (m.type === 'threat.flagged') {
          // A threat against staff: the inbox shows its mark, the respect screen lists it.
          void qc.invalidateQueries({ queryKey: ['conversations'] });
          if (m.conversationId) void qc.invalidateQueries({ queryKey: ['conversation', m.conversationId] });
          void qc.invalidateQueries({ queryKey: ['respect'] });
        }
      };
      ws.onclose = (ev) => {
        setConnected(false);
        if (stopped) return;
        // 4008: the server closed us for falling behind; come back at once (the backoff is for a server that is down).
        timer = setTimeout(connect, ev.code === 4008 ? 100 : delay);
        delay = Math.min(delay * 2, 30_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ws?.close();
    };
  }, [enabled, qc]);
  return connected;
}
