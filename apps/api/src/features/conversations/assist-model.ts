import type { ReplicaStatus } from '@chorus/pool'

/** The engine kind the built-in knowledge answerer reports (`KnowledgeAnswerer.kind`, packages/knowledge). */
export const knowledgeEngineKind = 'knowledge'

/**
 * The model that agent assist routes its prompt to: one that live replicas serve with a real
 * engine — the bot's own (`preferred`) when they do, else the one with the most room. Null when
 * the pool has no such replica: the knowledge answerer only answers from documents, and would
 * write "nothing found" where a summary or a suggestion belongs. A model name a knowledge
 * replica also reports is never chosen, so the prompt cannot land on one.
 */
export function assistModel(replicas: ReplicaStatus[], preferred: string): string | null {
  const answerers = new Set(replicas.filter((r) => r.engine === knowledgeEngineKind).map((r) => r.model))
  const models = replicas.filter((r) => r.engine !== knowledgeEngineKind && !answerers.has(r.model))
  if (preferred && models.some((r) => r.model === preferred)) return preferred
  const room = new Map<string, number>()
  for (const r of models) room.set(r.model, (room.get(r.model) ?? 0) + (r.down ? 0 : Math.max(0, r.capacity - r.load)))
  const [best] = [...room].sort(([a, roomA], [b, roomB]) => roomB - roomA || a.localeCompare(b))
  return best?.[0] ?? null
}
