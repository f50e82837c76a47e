import { createParser } from 'eventsource-parser'

/** One server-sent event: its `event:` name ('message' when none was given) and its joined `data:` lines. */
export interface SseEvent {
  event: string
  data: string
}

/**
 * Turns a text/event-stream, fed as text in pieces of any size (a network chunk may end inside a
 * line or an event), into events — eventsource-parser, as the web panel reads its stream.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): (text: string) => void {
  const parser = createParser({ onEvent: ({ event, data }) => onEvent({ event: event ?? 'message', data }) })
  return (chunk) => parser.feed(chunk)
}
