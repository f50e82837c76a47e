import type { Prisma } from './generated/prisma/client.js'

/** A model endpoint's settings: what the panel shows and the worker needs to drive it. */
export const modelEndpointFields = {
  id: true,
  name: true,
  kind: true,
  baseUrl: true,
  model: true,
  apiKeyVariable: true,
  ggufPath: true,
  replicas: true,
  concurrency: true,
  leavesNetwork: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ModelEndpointSelect
