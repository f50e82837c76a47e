import { modelEndpointFields, type Db } from '@chorus/db'
import type { ModelEndpointInput } from '@chorus/protocol'

const endpointFields = { ...modelEndpointFields, bots: { select: { id: true, name: true } } } as const

/** Model endpoints in PostgreSQL. */
export class ModelEndpointsRepository {
  constructor(private readonly db: Db) {}

  list() {
    return this.db.modelEndpoint.findMany({ orderBy: { name: 'asc' }, select: endpointFields })
  }

  find(id: string) {
    return this.db.modelEndpoint.findUnique({ where: { id }, select: endpointFields })
  }

  create(data: ModelEndpointInput) {
    return this.db.modelEndpoint.create({ data, select: endpointFields })
  }

  update(id: string, data: ModelEndpointInput) {
    return this.db.modelEndpoint.update({ where: { id }, data, select: endpointFields })
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.modelEndpoint.deleteMany({ where: { id } })).count === 1
  }
}

export type ModelEndpointRow = NonNullable<Awaited<ReturnType<ModelEndpointsRepository['find']>>>
