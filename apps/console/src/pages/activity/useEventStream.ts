import { useEffect, useRef, useState } from 'react';
import { ApiError, parse } from '../../api/client';
import { readServerSentEvents } from '../../api/sse';
import type { EventEnvelope } from '../../api/types';
import { useSession } from '../../session';

/** An event as the stream sends it: its data is an object of the event's fields. */
type Event = EventEnvelope<Record<string, unknown>>;

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'unavailable';
const KEEP = 5000;

/** The gateway's event stream, replaying the last hour on each (re)connect; events are de-duplicated by id. */
export function useEventStream(replaySeconds = 3600) {
  const { api } = useSession();
  const [events, setEvents] = useState<Event[]>([]);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const seen = useRef(new Set<string>());
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const response = await api.stream('/admin/events/stream', { replaySeconds }, controller.signal);
        if (!response.ok || !response.body) await parse(response);
        setStatus('live');
        await readServerSentEvents(response.body!, (message) => {
          if (message.event === 'error') return;
          const event = JSON.parse(message.data) as Event;
          if (seen.current.has(event.id)) return;
          seen.current.add(event.id);
          setEvents((list) => [event, ...list].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).slice(0, KEEP));
        });
      } catch (err) {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && (err.notAvailable || err.status === 401)) {
          setStatus('unavailable');
          return;
        }
      }
      if (controller.signal.aborted) return;
      setStatus('reconnecting');
      timer = setTimeout(() => void connect(), 2000);
    };
    void connect();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, replaySeconds]);
  return { events, status };
}
