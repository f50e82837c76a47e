import type { Db } from '@chorus/db'
import { demoKnowledge } from './demo.js'
import { KnowledgeBase } from './knowledge-base.js'
import { KnowledgeRepository } from './knowledge.repository.js'

const seededAction = 'knowledge.seed_demo'

/**
 * Gives a fresh installation's bot the demo travel-agency FAQ, so a newcomer running `npm start`
 * gets real answers at once. Only once per database, and never over a bot's own documents.
 * Returns whether it seeded.
 */
export async function seedDemoKnowledge(db: Db, botName: string): Promise<boolean> {
  if ((await db.auditLog.count({ where: { action: seededAction } })) > 0) return false
  const bot = await db.bot.upsert({ where: { name: botName }, create: { name: botName }, update: {}, select: { id: true } })
  const knowledge = new KnowledgeBase(new KnowledgeRepository(db))
  if (await knowledge.hasKnowledge(bot.id)) return false
  const demo = demoKnowledge()
  const document = await knowledge.addDocument(bot.id, { filename: 'travel-faq.csv', bytes: demo.csv, title: demo.title })
  await db.auditLog.create({
    data: { actorType: 'system', action: seededAction, targetType: 'knowledge_document', targetId: document.id, data: { botId: bot.id } },
  })
  return true
}
