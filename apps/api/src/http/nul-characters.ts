import type { RequestHandler } from 'express'
import { BadRequest } from './http-errors.js'

/** Whether any string in a JSON value, keys included, holds U+0000 (walked without recursion: bodies may nest deeply). */
export function containsNul(value: unknown): boolean {
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const next = pending.pop()
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true
    } else if (next && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (key.includes('\u0000')) return true
        pending.push(item)
      }
    }
  }
  return false
}

/**
 * PostgreSQL's text cannot hold U+0000: a NUL in the path, the query or a JSON body is refused
 * here with a 400, rather than failing deep inside a query as a 500.
 */
export const rejectNulCharacters: RequestHandler = (req, _res, next) => {
  if (/%00|\u0000/i.test(req.originalUrl) || containsNul(req.body)) {
    throw new BadRequest('the request holds a NUL character (U+0000), which Chorus does not accept')
  }
  next()
}
