import { z } from 'zod'

export const healthBody = z.object({
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['ok', 'down']),
  redis: z.enum(['ok', 'down']),
  workers: z.number().int(),
})
export type HealthBody = z.infer<typeof healthBody>
