import { createHash } from 'node:crypto'
import type { Db } from '@chorus/db'
import { sharedStack } from './support/shared-stack.js'
import { StaffClient } from './support/staff-client.js'
import { waitFor } from './support/wait-for.js'

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const password = 'agent-password-1'

interface ApiKeyView {
  id: string
  name: string
  prefix: string
  lastUsedAt: string | null
  revokedAt: string | null
  createdBy: { id: string; displayName: string } | null
}

interface StaffView {
  id: string
  displayName: string
  role: string
  capacity: number
  disabled: boolean
  teamIds: string[]
}

interface AuditPage {
  entries: Array<{
    id: string
    at: string
    actor: { type: string; id: string | null; name: string | null }
    action: string
    target: { type: string; id: string | null }
    data: Record<string, unknown>
  }>
  hasMore: boolean
}

/** A conversation stored as the bot would have stored it, with its messages (a factory: no WeChat needed). */
async function storedConversation(
  db: Db,
  spec: {
    botId: string
    kind: 'wechat_group' | 'wechat_private'
    title: string
    user: string
    state: 'bot' | 'waiting' | 'agent' | 'resolved'
    at: Date
    messages: Array<{ role: 'user' | 'assistant' | 'agent' | 'note'; text: string; staffId?: string }>
  },
) {
  const unique = `${spec.title}-${spec.user}-${Math.random()}`
  const channel = await db.channel.create({ data: { botId: spec.botId, kind: spec.kind, externalId: unique, title: spec.title } })
  const user = await db.endUser.create({ data: { platform: 'wechat', platformId: unique, displayName: spec.user } })
  const conversation = await db.conversation.create({
    data: { botId: spec.botId, channelId: channel.id, scopeKey: user.id, endUserId: user.id, state: spec.state, lastMessageAt: spec.at },
  })
  await db.message.createMany({
    data: spec.messages.map((m, i) => ({
      conversationId: conversation.id,
      channelId: channel.id,
      role: m.role,
      text: m.text,
      authorUserId: m.role === 'user' ? user.id : null,
      authorStaffId: m.staffId ?? null,
      status: 'stored' as const,
      createdAt: new Date(spec.at.getTime() - (spec.messages.length - i) * 1000),
    })),
  })
  return conversation
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c !== '"') field += c
      else if (text[i + 1] === '"') field += text[++i]
      else quoted = false
    } else if (c === '"') quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i++
    } else field += c
  }
  if (field || record.length > 0) throw new Error('the last record does not end with CRLF')
  return records
}

describe('admin: people, /v1 keys, the audit log, search and export', () => {
  const stack = sharedStack({ env: admin })
  let root: StaffClient
  let ann: StaffClient
  let support: { id: string }
  let sales: { id: string }

  const url = (path: string) => `${stack().api.url}${path}`
  const audit = (query: Record<string, string>) => root.ok<AuditPage>('GET', `/api/audit?${new URLSearchParams(query)}`)
  const hire = async (displayName: string, teamIds: string[] = []) => {
    const email = `${displayName.toLowerCase()}@example.com`
    const { staff } = await root.ok<{ staff: { id: string } }>(
      'POST',
      '/api/staff',
      { email, displayName, password, role: 'agent', teamIds },
      201,
    )
    return { id: staff.id, email, login: () => StaffClient.login(stack().api.url, email, password) }
  }

  beforeAll(async () => {
    root = await StaffClient.login(stack().api.url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    const bot = await stack().database.db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })
    support = (await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Support', botIds: [bot.id] }, 201)).team
    sales = (await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Sales' }, 201)).team
    ann = await (await hire('Ann', [support.id])).login()
  })

  it('keeps every admin route from agents (403) and from strangers (401)', async () => {
    const routes = [
      ['GET', '/api/api-keys'],
      ['POST', '/api/api-keys'],
      ['DELETE', '/api/api-keys/x'],
      ['PATCH', '/api/staff/x'],
      ['POST', '/api/staff'],
      ['POST', '/api/teams'],
      ['DELETE', '/api/teams/x'],
      ['GET', '/api/audit'],
      ['GET', '/api/conversations/export'],
    ] as const
    for (const [method, path] of routes) {
      const asAgent = await ann.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {})
      expect([method, path, asAgent.status]).toEqual([method, path, 403])
      const anonymous = await fetch(url(path), { method })
      expect([method, path, anonymous.status]).toEqual([method, path, 401])
    }
    expect((await fetch(url('/api/me/password'), { method: 'PUT' })).status).toBe(401)
  })

  it('creates a /v1 key that works until it is revoked, shown only once and never audited', async () => {
    const created = await root.ok<{ apiKey: ApiKeyView; key: string }>('POST', '/api/api-keys', { name: 'CRM integration' }, 201)
    const { apiKey, key } = created
    expect(key).toMatch(/^chorus_[A-Za-z0-9_-]{43}$/)
    expect(apiKey).toMatchObject({ name: 'CRM integration', prefix: key.slice(0, 12), lastUsedAt: null, revokedAt: null })
    expect(apiKey.createdBy).toEqual({ id: root.id, displayName: 'Admin' })
    const row = await stack().database.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })
    expect(row.hash).toBe(createHash('sha256').update(key).digest('hex'))

    const models = (bearer: string) => fetch(url('/v1/models'), { headers: { authorization: `Bearer ${bearer}` } })
    expect((await models(key)).status).toBe(200)
    expect((await models(`${key.slice(0, -1)}x`)).status).toBe(401)
    const used = await waitFor(
      async () => {
        const { apiKeys } = await root.ok<{ apiKeys: ApiKeyView[] }>('GET', '/api/api-keys')
        return apiKeys.find((k) => k.id === apiKey.id && k.lastUsedAt !== null)
      },
      5000,
      'the key marked as used',
    )
    expect(Object.keys(used).sort()).toEqual(['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt'])

    await root.ok('DELETE', `/api/api-keys/${apiKey.id}`, undefined, 204)
    await waitFor(async () => (await models(key)).status === 401, 15_000, 'the revoked key refused')
    await root.ok('DELETE', `/api/api-keys/${apiKey.id}`, undefined, 204)
    expect((await root.call('DELETE', '/api/api-keys/00000000-0000-0000-0000-000000000000')).status).toBe(404)
    const { apiKeys } = await root.ok<{ apiKeys: ApiKeyView[] }>('GET', '/api/api-keys')
    expect(apiKeys.find((k) => k.id === apiKey.id)?.revokedAt).toEqual(expect.any(String))
    expect(JSON.stringify(apiKeys)).not.toContain(key)

    const trail = await audit({ targetType: 'api_key', targetId: apiKey.id })
    expect(trail.entries.map((e) => [e.action, e.actor.id])).toEqual([
      ['api_key.revoke', root.id],
      ['api_key.create', root.id],
    ])
    expect(JSON.stringify(await audit({ limit: '200' }))).not.toContain(key.slice(12))
  })

  it('changes a member of staff’s name, capacity, teams and role, and disabling them ends their sessions', async () => {
    const dan = await hire('Dan', [support.id])
    const session = await dan.login()
    const changed = await root.ok<{ staff: StaffView }>('PATCH', `/api/staff/${dan.id}`, {
      displayName: 'Daniel',
      capacity: 3,
      teamIds: [support.id, sales.id],
    })
    expect(changed.staff).toMatchObject({ displayName: 'Daniel', capacity: 3, role: 'agent', disabled: false })
    expect(changed.staff.teamIds.sort()).toEqual([support.id, sales.id].sort())
    const { teams } = await root.ok<{ teams: Array<{ id: string; memberIds: string[] }> }>('GET', '/api/teams')
    expect(teams.find((t) => t.id === sales.id)!.memberIds).toContain(dan.id)

    await root.ok('PATCH', `/api/staff/${dan.id}`, { role: 'admin' })
    expect((await session.call('GET', '/api/audit')).status).toBe(200)
    await root.ok('PATCH', `/api/staff/${dan.id}`, { role: 'agent' })
    expect((await session.call('GET', '/api/audit')).status).toBe(403)

    const seen = async (viewer: StaffClient) =>
      (await viewer.ok<{ staff: StaffView[] }>('GET', '/api/staff')).staff.find((s) => s.id === dan.id)
    expect(await seen(ann)).toMatchObject({ displayName: 'Daniel', disabled: false })
    await root.ok('PATCH', `/api/staff/${dan.id}`, { disabled: true })
    expect((await session.call('GET', '/api/me')).status).toBe(401)
    await expect(dan.login()).rejects.toThrow(/401/)
    // Admins still list them, marked disabled; their team mates no longer do.
    expect(await seen(root)).toMatchObject({ disabled: true })
    expect(await seen(ann)).toBeUndefined()

    // Enabled again: a new sign-in works, the old session stays revoked.
    await root.ok('PATCH', `/api/staff/${dan.id}`, { disabled: false })
    expect((await session.call('GET', '/api/me')).status).toBe(401)
    expect((await (await dan.login()).call('GET', '/api/me')).status).toBe(200)

    expect((await root.call('PATCH', `/api/staff/${root.id}`, { disabled: true })).status).toBe(409)
    expect((await root.call('PATCH', `/api/staff/${root.id}`, { role: 'agent' })).status).toBe(409)
    expect((await root.call('PATCH', '/api/staff/00000000-0000-0000-0000-000000000000', { capacity: 2 })).status).toBe(404)
    expect((await root.call('PATCH', `/api/staff/${dan.id}`, { teamIds: ['no-such-team'] })).status).toBe(400)
    expect((await root.call('PATCH', `/api/staff/${dan.id}`, { capacity: 0 })).status).toBe(400)

    const trail = await audit({ action: 'staff.update', targetId: dan.id })
    expect(trail.entries.map((e) => e.data).reverse()).toEqual([
      { displayName: 'Daniel', capacity: 3, teamIds: [support.id, sales.id] },
      { role: 'admin' },
      { role: 'agent' },
      { disabled: true },
      { disabled: false },
    ])
  })

  it('deletes a team', async () => {
    const { team } = await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Night shift' }, 201)
    await root.ok('DELETE', `/api/teams/${team.id}`, undefined, 204)
    const { teams } = await root.ok<{ teams: Array<{ id: string }> }>('GET', '/api/teams')
    expect(teams.map((t) => t.id)).not.toContain(team.id)
    expect((await root.call('DELETE', `/api/teams/${team.id}`)).status).toBe(404)
    const trail = await audit({ action: 'team.delete', targetId: team.id })
    expect(trail.entries).toEqual([
      expect.objectContaining({ actor: { type: 'staff', id: root.id, name: 'Admin' }, data: { name: 'Night shift' } }),
    ])
  })

  it('changes one’s own password: the old password and the other sessions stop working', async () => {
    const eve = await hire('Eve')
    const [here, elsewhere] = [await eve.login(), await eve.login()]
    const newPassword = 'a-new-password-2'
    expect((await here.call('PUT', '/api/me/password', { currentPassword: 'wrong-password', newPassword })).status).toBe(403)
    expect((await here.call('PUT', '/api/me/password', { currentPassword: password, newPassword: 'short' })).status).toBe(400)
    await here.ok('PUT', '/api/me/password', { currentPassword: password, newPassword }, 204)

    expect((await here.call('GET', '/api/me')).status).toBe(200)
    expect((await elsewhere.call('GET', '/api/me')).status).toBe(401)
    await expect(eve.login()).rejects.toThrow(/401/)
    await StaffClient.login(stack().api.url, eve.email, newPassword)
    const trail = await audit({ actor: eve.id, action: 'auth.password_change' })
    expect(trail.entries.map((e) => e.action)).toEqual(['auth.password_change', 'auth.password_change_failed'])

    // Guessing is rate-limited like signing in: five tries per quarter hour.
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      statuses.push((await here.call('PUT', '/api/me/password', { currentPassword: 'guess', newPassword })).status)
    }
    expect(statuses).toEqual([403, 403, 403, 429, 429])
  })

  it('pages through the audit log newest first and filters it by actor, action, target and time', async () => {
    const first = await audit({ actor: root.id, limit: '3' })
    expect(first.entries).toHaveLength(3)
    expect(first.hasMore).toBe(true)
    expect(first.entries[0]!.actor).toEqual({ type: 'staff', id: root.id, name: 'Admin' })
    const ids = first.entries.map((e) => BigInt(e.id))
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids)
    const next = await audit({ actor: root.id, limit: '3', before: first.entries[2]!.id })
    expect(BigInt(next.entries[0]!.id)).toBeLessThan(ids[2]!)

    const all = await audit({ limit: '200' })
    expect(all.entries.every((e) => e.at >= all.entries.at(-1)!.at)).toBe(true)
    expect((await audit({ action: 'team.' })).entries.map((e) => e.action)).toEqual(expect.arrayContaining(['team.create', 'team.delete']))
    expect((await audit({ targetType: 'team' })).entries.every((e) => e.target.type === 'team')).toBe(true)
    expect((await audit({ to: '2000-01-01' })).entries).toEqual([])
    expect((await audit({ from: new Date(Date.now() + 3600_000).toISOString() })).entries).toEqual([])
    const lastHour = await audit({ from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() })
    expect(lastHour.entries.length).toBeGreaterThan(0)
    expect((await root.call('GET', '/api/audit?before=abc')).status).toBe(400)
    expect((await root.call('GET', '/api/audit?from=yesterday')).status).toBe(400)
  })

  describe('conversations', () => {
    let travel: { id: string }
    let lake: { id: string }
    let hello: { id: string }
    const question = '请问西湖门票多少钱, "学生票"\n有优惠吗？'
    const formulaLike = '=1+1 还有问题吗'

    beforeAll(async () => {
      const db = stack().database.db
      travel = await db.bot.create({ data: { name: 'Travel' } })
      // A team serves Travel, and Ann is not in it: she may not see its conversations.
      await root.ok('POST', '/api/teams', { name: 'Travel desk', botIds: [travel.id] }, 201)
      lake = await storedConversation(db, {
        botId: travel.id,
        kind: 'wechat_group',
        title: '杭州自由行群',
        user: '李雷',
        state: 'resolved',
        at: new Date('2025-03-10T08:00:00Z'),
        messages: [
          { role: 'user', text: question },
          { role: 'assistant', text: '西湖免费开放。' },
          { role: 'note', text: 'VIP 客户' },
          { role: 'agent', text: formulaLike, staffId: root.id },
        ],
      })
      const chorus = await db.bot.findFirstOrThrow({ where: { name: 'Chorus' } })
      hello = await storedConversation(db, {
        botId: chorus.id,
        kind: 'wechat_private',
        title: 'Han Meimei',
        user: 'Han Meimei',
        state: 'bot',
        at: new Date(),
        messages: [{ role: 'user', text: 'hello there' }],
      })
    })

    const search = async (viewer: StaffClient, query: Record<string, string>) =>
      (
        await viewer.ok<{ conversations: Array<{ id: string }> }>('GET', `/api/conversations?${new URLSearchParams(query)}`)
      ).conversations.map((c) => c.id)

    it('finds conversations by message text, user, group, bot, state and date, within what the viewer may see', async () => {
      const all = { state: 'all' }
      expect(await search(root, { ...all, q: '西湖门票' })).toEqual([lake.id])
      expect(await search(root, { ...all, q: 'VIP' })).toEqual([])
      expect(await search(root, { ...all, user: '李' })).toEqual([lake.id])
      expect(await search(root, { ...all, group: '自由行' })).toEqual([lake.id])
      expect(await search(root, { ...all, botId: travel.id })).toEqual([lake.id])
      expect(await search(root, { state: 'resolved' })).toEqual([lake.id])
      expect(await search(root, { state: 'bot', botId: travel.id })).toEqual([])
      // Without a state the inbox leaves resolved conversations out.
      expect(await search(root, { botId: travel.id })).toEqual([])
      expect(await search(root, { ...all, from: '2025-03-10', to: '2025-03-11' })).toEqual([lake.id])
      expect(await search(root, { ...all, from: '2025-03-10T16:00:01+08:00', to: '2025-03-11' })).toEqual([])
      const lately = await search(root, { ...all, from: new Date(Date.now() - 3600_000).toISOString() })
      expect(lately).toContain(hello.id)
      expect(lately).not.toContain(lake.id)

      expect(await search(ann, { ...all, q: '西湖门票' })).toEqual([])
      expect(await search(ann, { ...all, user: 'Han' })).toEqual([hello.id])
      expect((await root.call('GET', '/api/conversations?from=last-week')).status).toBe(400)
    })

    const download = async (query: Record<string, string>) => {
      const res = await fetch(url(`/api/conversations/export?${new URLSearchParams(query)}`), {
        headers: { authorization: `Bearer ${root.token}` },
      })
      expect(res.status).toBe(200)
      return { headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
    }

    it('exports every message but notes as CSV that reads back exactly, with a BOM for Excel', async () => {
      const { headers, bytes } = await download({ botId: travel.id })
      expect(headers.get('content-type')).toBe('text/csv; charset=utf-8')
      expect(headers.get('content-disposition')).toMatch(/^attachment; filename="chorus-conversations-\d{4}-\d{2}-\d{2}\.csv"$/)
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'))
      expect(header!.join(',')).toBe('conversation_id,bot,channel_kind,group,user,state,message_id,role,author,text,at')
      expect(rows.map((r) => r.slice(0, 6))).toEqual(Array(3).fill([lake.id, 'Travel', 'wechat_group', '杭州自由行群', '李雷', 'resolved']))
      expect(rows.map((r) => [r[7], r[8], r[9]])).toEqual([
        ['user', '李雷', question],
        ['assistant', '', '西湖免费开放。'],
        // A spreadsheet must not run it as a formula.
        ['agent', 'Admin', `'${formulaLike}`],
      ])
      expect(rows.every((r) => !Number.isNaN(Date.parse(r[10]!)))).toBe(true)

      const trail = await audit({ action: 'conversation.export', limit: '1' })
      expect(trail.entries[0]).toMatchObject({ actor: { id: root.id }, data: { format: 'csv', botId: travel.id } })
    })

    it('exports as JSON, and streams a large export in batches, in message order', async () => {
      const json = await download({ format: 'json', botId: travel.id, state: 'resolved', user: '李雷' })
      expect(json.headers.get('content-disposition')).toMatch(/\.json"$/)
      const rows = JSON.parse(json.bytes.toString('utf8')) as Array<Record<string, string>>
      expect(rows.map((r) => r.text)).toEqual([question, '西湖免费开放。', formulaLike])

      const db = stack().database.db
      const bulk = await db.bot.create({ data: { name: 'Bulk' } })
      const texts = Array.from({ length: 1234 }, (_, i) => `message ${i}`)
      await storedConversation(db, {
        botId: bulk.id,
        kind: 'wechat_group',
        title: 'Bulk group',
        user: 'Bo',
        state: 'bot',
        at: new Date(),
        messages: texts.map((text) => ({ role: 'user' as const, text })),
      })
      const { bytes } = await download({ botId: bulk.id })
      const [, ...bulkRows] = parseCsv(bytes.subarray(3).toString('utf8'))
      expect(bulkRows.map((r) => r[9])).toEqual(texts)
      expect(parseCsv((await download({ botId: bulk.id, q: 'nothing like this' })).bytes.subarray(3).toString('utf8'))).toHaveLength(1)
    })
  })
})
