import type { z } from 'zod'
import { BadRequest } from './http-errors.js'

/** Parses request input with a zod schema; failures become a 400 naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.') || what, message: issue.message }))
  throw new BadRequest(`invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
}
