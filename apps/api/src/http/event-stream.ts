import type { Response } from 'express'

/** Starts a server-sent event response: no caching, no proxy buffering, headers sent at once. */
export function startEventStream(res: Response): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  })
  res.flushHeaders()
}

/** Writes one named event with a JSON payload. */
export function writeEvent(res: Response, type: string, data: unknown): void {
  res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`)
}
