import { modelEndpointFields, type Db } from '@chorus/db'

/** Model endpoints as the worker needs them: what to drive, and a fingerprint of the settings. */
export class ModelEndpointsRepository {
  constructor(private readonly db: Db) {}

  enabled() {
    return this.db.modelEndpoint.findMany({
      where: { enabled: true },
      select: modelEndpointFields,
    })
  }
}

export type EndpointToDrive = Awaited<ReturnType<ModelEndpointsRepository['enabled']>>[number]
