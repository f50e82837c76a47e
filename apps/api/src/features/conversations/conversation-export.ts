import type { Response } from 'express'
import type { Prisma } from '@chorus/db'
import { csvByteOrderMark, csvRecord } from '../../http/csv.js'
import type { ConversationsRepository } from './conversations.repository.js'

const batchSize = 500

export const exportColumns = [
  'conversation_id',
  'bot',
  'channel_kind',
  'group',
  'user',
  'state',
  'message_id',
  'role',
  'author',
  'text',
  'at',
] as const
type ExportRow = Record<(typeof exportColumns)[number], string>
type ExportedMessage = Awaited<ReturnType<ConversationsRepository['exportBatch']>>[number]

function toRow(message: ExportedMessage): ExportRow {
  const { conversation } = message
  return {
    conversation_id: conversation.id,
    bot: conversation.bot.name,
    channel_kind: conversation.channel.kind,
    group: conversation.channel.title,
    user: conversation.endUser?.displayName ?? '',
    state: conversation.state,
    message_id: String(message.id),
    role: message.role,
    author: message.authorStaff?.displayName ?? message.authorUser?.displayName ?? '',
    text: message.text,
    at: message.createdAt.toISOString(),
  }
}

/** The export's rows a batch at a time (a cursor on the message id), so it never holds more than one batch. */
export async function* exportRows(
  conversations: ConversationsRepository,
  where: Prisma.ConversationWhereInput,
): AsyncGenerator<ExportRow[]> {
  let after = 0n
  for (;;) {
    const batch = await conversations.exportBatch(where, after, batchSize)
    if (batch.length > 0) yield batch.map(toRow)
    if (batch.length < batchSize) return
    after = batch.at(-1)!.id
  }
}

const formats = {
  csv: {
    contentType: 'text/csv; charset=utf-8',
    start: csvByteOrderMark + csvRecord(exportColumns),
    row: (row: ExportRow) => csvRecord(exportColumns.map((column) => row[column])),
    separator: '',
    end: '',
  },
  json: {
    contentType: 'application/json; charset=utf-8',
    start: '[\n',
    row: (row: ExportRow) => JSON.stringify(row),
    separator: ',\n',
    end: '\n]\n',
  },
}

/** Writes a chunk, waiting while the client's buffer is full; false once the client has gone. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false
  if (res.write(chunk)) return true
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
  return !res.destroyed
}

/** Streams the rows as a CSV or JSON download, stopping when the client goes away. */
export async function sendExport(res: Response, rows: AsyncIterable<ExportRow[]>, format: keyof typeof formats): Promise<void> {
  const shape = formats[format]
  res.setHeader('content-type', shape.contentType)
  res.setHeader('content-disposition', `attachment; filename="chorus-conversations-${new Date().toISOString().slice(0, 10)}.${format}"`)
  res.setHeader('cache-control', 'no-store')
  if (!(await write(res, shape.start))) return
  let first = true
  for await (const batch of rows) {
    const chunk = (first ? '' : shape.separator) + batch.map(shape.row).join(shape.separator)
    first = false
    if (!(await write(res, chunk))) return
  }
  res.end(shape.end)
}
