import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MiniProgramClient } from '../support/miniprogram-client.js'
import { sharedStack } from '../support/shared-stack.js'
import { StaffClient } from '../support/staff-client.js'
import { appRoutes } from './support/app-routes.js'
import { staffSessionToken, storedConversation, unique } from './support/fixtures.js'
import { send, type Sent } from './support/http.js'
import { useWeChatStandIn } from '../support/wechat-world.js'

// Every route of the API × every kind of caller, with the status each must get (docs/security.md).
// The stack runs without a model, as `npm start` does by default: the inference simulator is then
// mounted at /simulator/v1 and the knowledge answerer replies at once.

const roles = ['anonymous', 'userA', 'userB', 'agentX', 'agentY', 'admin', 'envKey', 'panelKey'] as const
type Role = (typeof roles)[number]
type Expected = Record<Role, number>

const fill = (status: number): Expected => Object.fromEntries(roles.map((role) => [role, status])) as Expected
/** A public route: the same answer whoever asks. */
const everyone = (status: number) => fill(status)
const staffOnly = (status: number): Expected => ({ ...fill(401), agentX: status, agentY: status, admin: status })
const adminOnly = (status: number): Expected => ({ ...fill(401), agentX: 403, agentY: 403, admin: status })
/** A conversation of the bot team X serves: team Y's agent may not touch it. */
const teamXOnly = (status: number): Expected => ({ ...fill(401), agentX: status, agentY: 403, admin: status })
const miniProgramOnly = (status: number): Expected => ({ ...fill(401), userA: status, userB: status })
const keysOnly = (status: number): Expected => ({ ...fill(401), envKey: status, panelKey: status })

const admin = { CHORUS_ADMIN_EMAIL: 'admin@example.com', CHORUS_ADMIN_PASSWORD: 'admin-password-1' }
const password = 'agent-password-1'
const envKey = 'matrix-env-key-0123456789abcdef'

const env: Record<string, string> = {
  ...admin,
  CHORUS_API_KEYS: envKey,
  CHORUS_MODEL_URL: '',
  CHORUS_MODEL_NAME: '',
  CHORUS_SIMULATOR_TTFT_MS: '0',
  CHORUS_SIMULATOR_ITL_MS: '0',
}
// A built web panel of one page, so the panel's routes exist whatever apps/web/dist holds.
const webDist = mkdtempSync(join(tmpdir(), 'chorus-matrix-web-'))
writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Chorus</title>')

useWeChatStandIn(env, { WECHAT_PUSH_TOKEN: 'push-token' })
afterAll(() => rmSync(webDist, { recursive: true, force: true }))

describe('the authorization matrix', () => {
  const stack = sharedStack({ env, webDist })
  const db = () => stack().database.db
  const tokens = {} as Record<Role, string | null>
  const staffIds = {} as Record<'agentX' | 'agentY' | 'admin', string>
  let root: StaffClient
  let botId: string
  let teamX: string
  let conversationId: string
  let messageOfA: string
  let spare: { staffId: string; teamId: string; botId: string; endpointId: string }
  let servedModel: string
  let logins = 0

  /** Who holds a conversation a role acts on: the admin themself, else team X's agent (so team Y's agent holds none). */
  /** A new MCP server of the spare bot (each DELETE needs one of its own). */
  const mcpServer = async () =>
    (await db().mcpServer.create({ data: { botId: spare.botId, name: unique('mcp'), url: 'http://127.0.0.1:9/mcp' } })).id
  const holderFor = (role: Role) => (role === 'admin' ? staffIds.admin : staffIds.agentX)
  /** A session of the role's own, for routes that end it (non-staff roles keep their usual token). */
  const ownSession = async (role: Role) =>
    role === 'agentX' || role === 'agentY' || role === 'admin' ? staffSessionToken(db(), staffIds[role]) : tokens[role]
  const mpLogin = async (name: string) => (await MiniProgramClient.login(stack().api.url, `ok:${name}-${++logins}`)).token

  beforeAll(async () => {
    const url = stack().api.url
    root = await StaffClient.login(url, admin.CHORUS_ADMIN_EMAIL, admin.CHORUS_ADMIN_PASSWORD)
    botId = (await db().bot.findFirstOrThrow({ where: { name: 'Chorus' } })).id
    teamX = (await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Team X', botIds: [botId] }, 201)).team.id
    const teamY = (await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Team Y' }, 201)).team.id
    const agent = async (name: string, teamId: string) => {
      const email = `${name}@example.com`
      await root.ok('POST', '/api/staff', { email, displayName: name, password, role: 'agent', teamIds: [teamId] }, 201)
      return StaffClient.login(url, email, password)
    }
    const [x, y] = [await agent('agent-x', teamX), await agent('agent-y', teamY)]
    Object.assign(staffIds, { agentX: x.id, agentY: y.id, admin: root.id })
    const panelKey = (await root.ok<{ key: string }>('POST', '/api/api-keys', { name: 'matrix' }, 201)).key
    const [userA, userB] = [await MiniProgramClient.login(url, 'ok:user-a'), await MiniProgramClient.login(url, 'ok:user-b')]
    Object.assign(tokens, {
      anonymous: null,
      userA: userA.token,
      userB: userB.token,
      agentX: x.token,
      agentY: y.token,
      admin: root.token,
      envKey,
      panelKey,
    })
    messageOfA = (await userA.call<{ messageId: string }>('POST', '/mp/v1/messages', { text: 'my order number is 12345' })).body.messageId
    conversationId = (await storedConversation(db(), { botId, state: 'bot', text: 'the matrix conversation' })).id
    spare = {
      staffId: (
        await root.ok<{ staff: { id: string } }>(
          'POST',
          '/api/staff',
          { email: 'spare@example.com', displayName: 'Spare', password, role: 'agent' },
          201,
        )
      ).staff.id,
      teamId: (await root.ok<{ team: { id: string } }>('POST', '/api/teams', { name: 'Spare team' }, 201)).team.id,
      botId: (await root.ok<{ bot: { id: string } }>('POST', '/api/bots', { name: 'Spare bot' }, 201)).bot.id,
      endpointId: (
        await root.ok<{ modelEndpoint: { id: string } }>(
          'POST',
          '/api/model-endpoints',
          { name: 'spare-endpoint', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', enabled: false },
          201,
        )
      ).modelEndpoint.id,
    }
    const models = await send(url, { method: 'GET', path: '/v1/models', token: envKey })
    servedModel = (JSON.parse(models.text) as { data: Array<{ id: string }> }).data[0]!.id
  })

  const conversation = (state: 'bot' | 'waiting' | 'agent', role: Role) =>
    storedConversation(db(), { botId, state, ...(state === 'agent' ? { assigneeId: holderFor(role) } : {}) }).then((c) => c.id)
  const now = () => String(Math.floor(Date.now() / 1000))
  /** A bot answer to a question, in a conversation of team X's bot: what agents rate. */
  let rated: { conversationId: string; id: string } | undefined
  const answerToRate = async () => {
    if (rated) return rated
    const conversation = await storedConversation(db(), { botId, state: 'bot' })
    const question = await db().message.findFirstOrThrow({ where: { conversationId: conversation.id, role: 'user' } })
    const answer = await db().message.create({
      data: {
        conversationId: conversation.id,
        channelId: question.channelId,
        role: 'assistant',
        text: 'an answer',
        replyToId: question.id,
        status: 'delivered',
      },
    })
    return (rated = { conversationId: conversation.id, id: String(answer.id) })
  }
  const aDataset = () => db().dataset.create({ data: { name: unique('matrix'), recipe: {}, testShare: 0.1 } })

  const table: Array<{ route: string; expect: Expected; send: (role: Role) => Sent | Promise<Sent> }> = [
    // Health, metrics and the web panel: public.
    { route: 'GET /healthz', expect: everyone(200), send: () => ({ method: 'GET', path: '/healthz' }) },
    { route: 'GET /metrics', expect: everyone(200), send: () => ({ method: 'GET', path: '/metrics' }) },
    {
      route: 'GET /^\\/(?!api\\/|v1\\/|mp\\/|simulator\\/|metrics|healthz).*/',
      expect: everyone(200),
      send: () => ({ method: 'GET', path: '/inbox' }),
    },
    // The WeChat simulator (only while the mock puppet runs) and the inference simulator (only without a model): public demo tools.
    {
      route: 'POST /api/simulator/messages',
      expect: everyone(202),
      send: (role) => ({ method: 'POST', path: '/api/simulator/messages', body: { from: `matrix-${role}`, text: 'hello' } }),
    },
    {
      route: 'GET /api/simulator/messages',
      expect: everyone(200),
      send: () => ({ method: 'GET', path: '/api/simulator/messages?from=matrix-admin' }),
    },
    { route: 'GET /simulator/v1/models', expect: everyone(200), send: () => ({ method: 'GET', path: '/simulator/v1/models' }) },
    {
      route: 'POST /simulator/v1/chat/completions',
      expect: everyone(200),
      send: () => ({
        method: 'POST',
        path: '/simulator/v1/chat/completions',
        body: { messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 },
      }),
    },

    // Staff sign-in: the bearer token of the request plays no part.
    {
      route: 'POST /api/auth/login',
      expect: everyone(401),
      send: (role) => ({
        method: 'POST',
        path: '/api/auth/login',
        body: { email: `nobody-${role}@example.com`, password: 'wrong-password' },
      }),
    },
    {
      route: 'POST /api/auth/logout',
      expect: staffOnly(204),
      send: async (role) => ({ method: 'POST', path: '/api/auth/logout', token: await ownSession(role) }),
    },
    { route: 'GET /api/me', expect: staffOnly(200), send: () => ({ method: 'GET', path: '/api/me' }) },
    // An empty body: signed-in callers reach the validation (400), nobody changes a password.
    { route: 'PUT /api/me/password', expect: staffOnly(400), send: () => ({ method: 'PUT', path: '/api/me/password', body: {} }) },
    {
      route: 'PUT /api/me/availability',
      expect: staffOnly(204),
      send: () => ({ method: 'PUT', path: '/api/me/availability', body: { available: false } }),
    },

    // Conversations: agents see their teams' bots only; export is for admins.
    { route: 'GET /api/conversations', expect: staffOnly(200), send: () => ({ method: 'GET', path: '/api/conversations' }) },
    {
      route: 'GET /api/conversations/export',
      expect: adminOnly(200),
      send: () => ({ method: 'GET', path: '/api/conversations/export?format=json' }),
    },
    {
      route: 'GET /api/conversations/:id',
      expect: teamXOnly(200),
      send: () => ({ method: 'GET', path: `/api/conversations/${conversationId}` }),
    },
    {
      route: 'POST /api/conversations/:id/claim',
      expect: teamXOnly(200),
      send: async (role) => ({ method: 'POST', path: `/api/conversations/${await conversation('bot', role)}/claim` }),
    },
    {
      route: 'POST /api/conversations/:id/release',
      expect: teamXOnly(200),
      send: async (role) => ({ method: 'POST', path: `/api/conversations/${await conversation('waiting', role)}/release` }),
    },
    {
      route: 'POST /api/conversations/:id/resolve',
      expect: teamXOnly(200),
      send: async (role) => ({
        method: 'POST',
        path: `/api/conversations/${await conversation('bot', role)}/resolve`,
        body: { rating: 5 },
      }),
    },
    {
      route: 'POST /api/conversations/:id/transfer',
      expect: teamXOnly(200),
      send: async (role) => ({
        method: 'POST',
        path: `/api/conversations/${await conversation('agent', role)}/transfer`,
        body: { teamId: teamX },
      }),
    },
    {
      route: 'POST /api/conversations/:id/messages',
      expect: teamXOnly(201),
      send: async (role) => ({
        method: 'POST',
        path: `/api/conversations/${await conversation('agent', role)}/messages`,
        body: { text: 'hello' },
      }),
    },
    {
      route: 'POST /api/conversations/:id/notes',
      expect: teamXOnly(201),
      send: () => ({ method: 'POST', path: `/api/conversations/${conversationId}/notes`, body: { text: 'a note' } }),
    },
    {
      route: 'POST /api/conversations/:id/typing',
      expect: teamXOnly(204),
      send: () => ({ method: 'POST', path: `/api/conversations/${conversationId}/typing` }),
    },
    {
      route: 'POST /api/conversations/:id/suggestions',
      expect: teamXOnly(200),
      send: () => ({ method: 'POST', path: `/api/conversations/${conversationId}/suggestions` }),
    },
    {
      route: 'POST /api/conversations/:id/summary',
      expect: teamXOnly(200),
      send: () => ({ method: 'POST', path: `/api/conversations/${conversationId}/summary` }),
    },
    {
      route: 'POST /api/conversations/:id/messages/:messageId/rating',
      expect: teamXOnly(201),
      send: async () => {
        const answer = await answerToRate()
        return {
          method: 'POST',
          path: `/api/conversations/${answer.conversationId}/messages/${answer.id}/rating`,
          body: { rating: 'good' },
        }
      },
    },

    // Colleagues, teams, canned responses.
    { route: 'GET /api/staff', expect: staffOnly(200), send: () => ({ method: 'GET', path: '/api/staff' }) },
    {
      route: 'POST /api/staff',
      expect: adminOnly(201),
      send: (role) => ({
        method: 'POST',
        path: '/api/staff',
        body: { email: `${unique(role)}@example.com`, displayName: 'New', password, role: 'agent' },
      }),
    },
    {
      route: 'PATCH /api/staff/:id',
      expect: adminOnly(200),
      send: () => ({ method: 'PATCH', path: `/api/staff/${spare.staffId}`, body: { capacity: 3 } }),
    },
    { route: 'GET /api/teams', expect: staffOnly(200), send: () => ({ method: 'GET', path: '/api/teams' }) },
    {
      route: 'POST /api/teams',
      expect: adminOnly(201),
      send: () => ({ method: 'POST', path: '/api/teams', body: { name: unique('team') } }),
    },
    {
      route: 'PATCH /api/teams/:id',
      expect: adminOnly(200),
      send: () => ({ method: 'PATCH', path: `/api/teams/${spare.teamId}`, body: { memberIds: [] } }),
    },
    {
      route: 'DELETE /api/teams/:id',
      expect: adminOnly(204),
      send: async () => ({ method: 'DELETE', path: `/api/teams/${(await db().team.create({ data: { name: unique('doomed') } })).id}` }),
    },
    { route: 'GET /api/canned-responses', expect: staffOnly(200), send: () => ({ method: 'GET', path: '/api/canned-responses' }) },
    {
      route: 'POST /api/canned-responses',
      expect: staffOnly(201),
      send: () => ({ method: 'POST', path: '/api/canned-responses', body: { shortcut: unique('hi'), text: 'Hello!' } }),
    },
    {
      route: 'DELETE /api/canned-responses/:id',
      expect: staffOnly(204),
      send: async () => ({
        method: 'DELETE',
        path: `/api/canned-responses/${(await db().cannedResponse.create({ data: { shortcut: unique('bye'), text: 'Bye' } })).id}`,
      }),
    },
    { route: 'GET /api/stats/handoff', expect: staffOnly(200), send: () => ({ method: 'GET', path: '/api/stats/handoff' }) },
    { route: 'GET /api/events', expect: staffOnly(200), send: () => ({ method: 'GET', path: '/api/events' }) },

    // Administration.
    { route: 'GET /api/api-keys', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/api-keys' }) },
    {
      route: 'POST /api/api-keys',
      expect: adminOnly(201),
      send: () => ({ method: 'POST', path: '/api/api-keys', body: { name: 'another' } }),
    },
    {
      route: 'DELETE /api/api-keys/:id',
      expect: adminOnly(204),
      send: async () => {
        const key = await db().apiKey.create({ data: { name: 'doomed', prefix: 'chorus_doom', hash: unique('hash') } })
        return { method: 'DELETE', path: `/api/api-keys/${key.id}` }
      },
    },
    { route: 'GET /api/audit', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/audit' }) },
    { route: 'GET /api/bots', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/bots' }) },
    { route: 'POST /api/bots', expect: adminOnly(201), send: () => ({ method: 'POST', path: '/api/bots', body: { name: unique('bot') } }) },
    { route: 'GET /api/bots/:id', expect: adminOnly(200), send: () => ({ method: 'GET', path: `/api/bots/${spare.botId}` }) },
    {
      route: 'PATCH /api/bots/:id',
      expect: adminOnly(200),
      send: () => ({ method: 'PATCH', path: `/api/bots/${spare.botId}`, body: { persona: 'Spare persona' } }),
    },
    {
      route: 'POST /api/bots/:id/test-chat',
      expect: adminOnly(200),
      send: () => ({ method: 'POST', path: `/api/bots/${spare.botId}/test-chat`, body: { messages: [{ role: 'user', content: 'hi' }] } }),
    },
    { route: 'GET /api/bots/:id/wechat', expect: adminOnly(200), send: () => ({ method: 'GET', path: `/api/bots/${spare.botId}/wechat` }) },
    {
      route: 'POST /api/bots/:id/knowledge/documents',
      expect: adminOnly(201),
      send: () => ({
        method: 'POST',
        path: `/api/bots/${spare.botId}/knowledge/documents`,
        body: { title: unique('doc'), text: 'Opening hours: 9 to 5.' },
      }),
    },
    // MCP servers of a bot (docs/tools.md): none listens on port 9, so adding one records why its tools are not listed.
    {
      route: 'GET /api/bots/:botId/mcp-servers',
      expect: adminOnly(200),
      send: () => ({ method: 'GET', path: `/api/bots/${spare.botId}/mcp-servers` }),
    },
    {
      route: 'POST /api/bots/:botId/mcp-servers',
      expect: adminOnly(201),
      send: () => ({
        method: 'POST',
        path: `/api/bots/${spare.botId}/mcp-servers`,
        body: { name: unique('mcp'), url: 'http://127.0.0.1:9/mcp' },
      }),
    },
    {
      route: 'PATCH /api/mcp-servers/:id',
      expect: adminOnly(200),
      send: async () => ({ method: 'PATCH', path: `/api/mcp-servers/${await mcpServer()}`, body: { enabled: false } }),
    },
    {
      route: 'POST /api/mcp-servers/:id/refresh',
      expect: adminOnly(200),
      send: async () => ({ method: 'POST', path: `/api/mcp-servers/${await mcpServer()}/refresh` }),
    },
    {
      route: 'DELETE /api/mcp-servers/:id',
      expect: adminOnly(204),
      send: async () => ({ method: 'DELETE', path: `/api/mcp-servers/${await mcpServer()}` }),
    },
    {
      route: 'GET /api/bots/:id/knowledge/documents',
      expect: adminOnly(200),
      send: () => ({ method: 'GET', path: `/api/bots/${spare.botId}/knowledge/documents` }),
    },
    {
      route: 'DELETE /api/bots/:id/knowledge/documents/:documentId',
      expect: adminOnly(204),
      send: async () => {
        const document = await root.ok<{ id: string }>(
          'POST',
          `/api/bots/${spare.botId}/knowledge/documents`,
          { title: unique('doomed'), text: 'Gone soon.' },
          201,
        )
        return { method: 'DELETE', path: `/api/bots/${spare.botId}/knowledge/documents/${document.id}` }
      },
    },
    {
      route: 'GET /api/bots/:id/knowledge/search',
      expect: adminOnly(200),
      send: () => ({ method: 'GET', path: `/api/bots/${spare.botId}/knowledge/search?q=hours` }),
    },
    {
      route: 'GET /api/bots/:id/knowledge/unanswered',
      expect: adminOnly(200),
      send: () => ({ method: 'GET', path: `/api/bots/${spare.botId}/knowledge/unanswered?days=7` }),
    },
    {
      route: 'GET /api/bots/:id/knowledge/faq-questions',
      expect: adminOnly(200),
      send: () => ({ method: 'GET', path: `/api/bots/${spare.botId}/knowledge/faq-questions` }),
    },
    {
      route: 'POST /api/bots/:id/knowledge/faq-entries',
      expect: adminOnly(201),
      send: () => ({
        method: 'POST',
        path: `/api/bots/${spare.botId}/knowledge/faq-entries`,
        body: { question: unique('When do you open?'), answer: 'At nine.' },
      }),
    },
    {
      route: 'GET /api/bots/:id/knowledge/similar-questions',
      expect: adminOnly(200),
      send: () => ({ method: 'GET', path: `/api/bots/${spare.botId}/knowledge/similar-questions` }),
    },
    {
      route: 'POST /api/bots/:id/knowledge/similar-questions',
      expect: adminOnly(201),
      send: async () => {
        const entry = await root.ok<{ question: string }>(
          'POST',
          `/api/bots/${spare.botId}/knowledge/faq-entries`,
          { question: unique('Is there parking?'), answer: 'Yes.' },
          201,
        )
        return {
          method: 'POST',
          path: `/api/bots/${spare.botId}/knowledge/similar-questions`,
          body: { faqQuestion: entry.question, similar: unique('Where do I park?') },
        }
      },
    },
    {
      route: 'DELETE /api/bots/:id/knowledge/similar-questions/:sid',
      expect: adminOnly(204),
      send: async () => {
        const entry = await root.ok<{ question: string }>(
          'POST',
          `/api/bots/${spare.botId}/knowledge/faq-entries`,
          { question: unique('Do you take cards?'), answer: 'Yes.' },
          201,
        )
        const similar = await root.ok<{ id: string }>(
          'POST',
          `/api/bots/${spare.botId}/knowledge/similar-questions`,
          { faqQuestion: entry.question, similar: 'Can I pay by card?' },
          201,
        )
        return { method: 'DELETE', path: `/api/bots/${spare.botId}/knowledge/similar-questions/${similar.id}` }
      },
    },
    { route: 'GET /api/model-endpoints', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/model-endpoints' }) },
    {
      route: 'POST /api/model-endpoints',
      expect: adminOnly(201),
      send: () => ({
        method: 'POST',
        path: '/api/model-endpoints',
        body: { name: unique('endpoint'), kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', enabled: false },
      }),
    },
    {
      route: 'PATCH /api/model-endpoints/:id',
      expect: adminOnly(200),
      send: () => ({ method: 'PATCH', path: `/api/model-endpoints/${spare.endpointId}`, body: { concurrency: 2 } }),
    },
    {
      route: 'DELETE /api/model-endpoints/:id',
      expect: adminOnly(204),
      send: async () => {
        const endpoint = await db().modelEndpoint.create({
          data: { name: unique('doomed'), kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', enabled: false },
        })
        return { method: 'DELETE', path: `/api/model-endpoints/${endpoint.id}` }
      },
    },
    {
      route: 'POST /api/model-endpoints/:id/test',
      expect: adminOnly(200),
      send: () => ({ method: 'POST', path: `/api/model-endpoints/${spare.endpointId}/test` }),
    },
    {
      route: 'POST /api/model-endpoints/test',
      expect: adminOnly(200),
      send: () => ({
        method: 'POST',
        path: '/api/model-endpoints/test',
        body: { name: 'probe', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
      }),
    },
    { route: 'GET /api/pool', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/pool' }) },
    { route: 'GET /api/pool/history', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/pool/history' }) },

    // Training data and model comparisons (docs/datasets.md).
    { route: 'GET /api/training/pairs', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/training/pairs' }) },
    {
      route: 'PATCH /api/training/pairs/:id',
      expect: adminOnly(200),
      send: async () => {
        const pair = await db().trainingPair.create({
          data: { botId, question: 'q', answer: 'a', source: 'rated_good', sourceMessageIds: [] },
        })
        return { method: 'PATCH', path: `/api/training/pairs/${pair.id}`, body: { status: 'accepted' } }
      },
    },
    {
      route: 'POST /api/datasets',
      expect: adminOnly(201),
      send: () => ({ method: 'POST', path: '/api/datasets', body: { name: 'matrix', sources: { pairs: true } } }),
    },
    { route: 'GET /api/datasets', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/datasets' }) },
    {
      route: 'GET /api/datasets/:id/export',
      expect: adminOnly(200),
      send: async () => ({ method: 'GET', path: `/api/datasets/${(await aDataset()).id}/export?format=openai` }),
    },
    {
      route: 'DELETE /api/datasets/:id',
      expect: adminOnly(204),
      send: async () => ({ method: 'DELETE', path: `/api/datasets/${(await aDataset()).id}` }),
    },
    {
      route: 'POST /api/comparisons',
      // Past the admin check, refused: the pool serves one model (the knowledge answerer), not two.
      expect: adminOnly(400),
      send: () => ({ method: 'POST', path: '/api/comparisons', body: { evalSet: 'travel', models: ['chorus-knowledge', 'absent'] } }),
    },
    { route: 'GET /api/comparisons', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/comparisons' }) },
    {
      route: 'GET /api/comparisons/:id',
      expect: adminOnly(200),
      send: async () => {
        const comparison = await db().modelComparison.create({
          data: { source: 'eval:travel', models: ['a', 'b'], questions: 0, status: 'done' },
        })
        return { method: 'GET', path: `/api/comparisons/${comparison.id}` }
      },
    },

    // WeCom customer service, not configured here: its panel view answers, linking and the callback do not.
    { route: 'GET /api/wecom', expect: adminOnly(200), send: () => ({ method: 'GET', path: '/api/wecom' }) },
    {
      route: 'PATCH /api/wecom/accounts/:openKfId',
      expect: adminOnly(400),
      send: () => ({ method: 'PATCH', path: '/api/wecom/accounts/wkMatrix01', body: { botId: null } }),
    },
    {
      route: 'GET /wecom/kf/callback',
      expect: everyone(404),
      send: () => ({ method: 'GET', path: `/wecom/kf/callback?msg_signature=s&timestamp=${now()}&nonce=n&echostr=e` }),
    },
    {
      route: 'POST /wecom/kf/callback',
      expect: everyone(404),
      send: () => ({
        method: 'POST',
        path: `/wecom/kf/callback?msg_signature=s&timestamp=${now()}&nonce=n`,
        body: '<xml><Encrypt>x</Encrypt></xml>',
      }),
    },
    {
      route: 'DELETE /api/end-users/:id',
      expect: adminOnly(200),
      send: async () => ({
        method: 'DELETE',
        path: `/api/end-users/${(await storedConversation(db(), { botId, state: 'bot' })).endUserId}`,
      }),
    },
    { route: 'POST /api/retention/run', expect: adminOnly(200), send: () => ({ method: 'POST', path: '/api/retention/run' }) },

    // The mini-program: its own tokens only; a user reads only their own messages.
    {
      route: 'POST /mp/v1/login',
      expect: everyone(200),
      send: (role) => ({ method: 'POST', path: '/mp/v1/login', body: { code: `ok:login-${role}-${++logins}` } }),
    },
    {
      route: 'POST /mp/v1/messages',
      expect: miniProgramOnly(200),
      send: () => ({ method: 'POST', path: '/mp/v1/messages', body: { text: 'hello' } }),
    },
    { route: 'GET /mp/v1/messages', expect: miniProgramOnly(200), send: () => ({ method: 'GET', path: '/mp/v1/messages' }) },
    {
      route: 'GET /mp/v1/messages/:id',
      expect: { ...miniProgramOnly(200), userB: 404 },
      send: () => ({ method: 'GET', path: `/mp/v1/messages/${messageOfA}` }),
    },
    {
      route: 'POST /mp/v1/handoff',
      expect: miniProgramOnly(200),
      // A user of their own: asking for a person changes the conversation's state.
      send: async (role) => ({
        method: 'POST',
        path: '/mp/v1/handoff',
        ...(role === 'userA' || role === 'userB' ? { token: await mpLogin(role) } : {}),
      }),
    },
    {
      route: 'POST /mp/v1/subscriptions',
      expect: miniProgramOnly(200),
      send: () => ({ method: 'POST', path: '/mp/v1/subscriptions', body: { templateId: 'tmpl', accepted: false } }),
    },
    { route: 'GET /mp/v1/events', expect: miniProgramOnly(200), send: () => ({ method: 'GET', path: '/mp/v1/events' }) },
    // WeChat's push is authenticated by its signature alone: no token stands in for one.
    {
      route: 'GET /mp/v1/wechat/push',
      expect: everyone(401),
      send: () => ({ method: 'GET', path: `/mp/v1/wechat/push?timestamp=${now()}&nonce=n&echostr=e` }),
    },
    {
      route: 'POST /mp/v1/wechat/push',
      expect: everyone(401),
      send: () => ({
        method: 'POST',
        path: `/mp/v1/wechat/push?timestamp=${now()}&nonce=n`,
        body: { ToUserName: 'gh', FromUserName: 'o-x', CreateTime: 1, MsgType: 'text', Content: 'hi', MsgId: 1 },
      }),
    },

    // The OpenAI-compatible API: keys only.
    { route: 'GET /v1/models', expect: keysOnly(200), send: () => ({ method: 'GET', path: '/v1/models' }) },
    {
      route: 'POST /v1/chat/completions',
      expect: keysOnly(200),
      send: () => ({
        method: 'POST',
        path: '/v1/chat/completions',
        body: { model: servedModel, messages: [{ role: 'user', content: 'hi' }] },
      }),
    },
    {
      route: 'POST /v1/responses',
      expect: keysOnly(200),
      send: () => ({ method: 'POST', path: '/v1/responses', body: { model: servedModel, input: 'hi' } }),
    },
    // No embedding model is configured here: a key gets OpenAI's 404 for the model.
    {
      route: 'POST /v1/embeddings',
      expect: keysOnly(404),
      send: () => ({ method: 'POST', path: '/v1/embeddings', body: { model: 'any', input: 'hi' } }),
    },
  ]

  it('lists every route the API serves, and no route it does not', () => {
    expect(table.map((c) => c.route).sort()).toEqual(appRoutes(stack().api))
  })

  it.each(table.map((c) => [c.route, c] as const))('%s answers each kind of caller as expected', async (_route, routeCase) => {
    const actual = {} as Expected
    for (const role of roles) {
      const request = await routeCase.send(role)
      const answer = await send(stack().api.url, { token: tokens[role], ...request })
      actual[role] = answer.status
    }
    expect(actual).toEqual(routeCase.expect)
  })

  it('shows team Y’s agent none of team X’s conversations, and an unknown id is 404, not 403', async () => {
    const search = '/api/conversations?state=all&q=the%20matrix%20conversation'
    const y = await send(stack().api.url, { method: 'GET', path: search, token: tokens.agentY })
    expect(y.text).not.toContain(conversationId)
    const x = await send(stack().api.url, { method: 'GET', path: search, token: tokens.agentX })
    expect(x.text).toContain(conversationId)
    const unknown = await send(stack().api.url, { method: 'GET', path: '/api/conversations/no-such-id', token: tokens.agentX })
    expect(unknown.status).toBe(404)
  })

  it('refuses a revoked /v1 key and the session of a disabled member of staff', async () => {
    const created = await root.ok<{ apiKey: { id: string }; key: string }>('POST', '/api/api-keys', { name: 'short-lived' }, 201)
    const models = () => send(stack().api.url, { method: 'GET', path: '/v1/models', token: created.key })
    expect((await models()).status).toBe(200)
    await root.ok('DELETE', `/api/api-keys/${created.apiKey.id}`, undefined, 204)
    expect((await models()).status).toBe(401)

    const token = await staffSessionToken(db(), spare.staffId)
    const me = () => send(stack().api.url, { method: 'GET', path: '/api/me', token })
    expect((await me()).status).toBe(200)
    await root.ok('PATCH', `/api/staff/${spare.staffId}`, { disabled: true })
    expect((await me()).status).toBe(401)
  })
})
