import { z } from 'zod'

/** The contract's error body: `{"error": {"code", "message"}}`. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
})
export type ErrorBody = z.infer<typeof errorBody>
