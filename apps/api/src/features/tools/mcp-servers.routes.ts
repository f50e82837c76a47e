import { Router } from 'express'
import {
  hiddenHeaderValue,
  mcpServerCreateBody,
  mcpServerUpdateBody,
  mcpTransport,
  type McpServerListResponse,
  type McpServerView,
} from '@chorus/protocol'
import { BadRequest, Conflict, NotFound } from '../../http/http-errors.js'
import { validate } from '../../http/validate.js'
import type { AuditTrail } from '../audit/audit-trail.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireAdmin, requireStaff, signedIn } from '../auth/require-staff.js'
import { isUniqueViolation } from '../staff/staff.repository.js'
import { storedFields, toMcpServerView } from './mcp-server-view.js'
import type { McpServerRow, McpServersRepository } from './mcp-servers.repository.js'
import type { McpToolLister } from './mcp-tool-listing.js'

/**
 * The MCP servers whose tools a bot may call (admin, docs/admin-api.md): connect one (its tools
 * are listed at once), choose the tools the bot may use and which need the user's yes, list
 * them again, remove it. Header values go in and never come back out.
 */
export function mcpServersRoutes(deps: {
  auth: AuthService
  audit: AuditTrail
  mcpServersRepo: McpServersRepository
  listTools: McpToolLister
}): Router {
  const router = Router()
  const repo = deps.mcpServersRepo
  router.use(['/api/bots/:botId/mcp-servers', '/api/mcp-servers'], requireStaff(deps.auth), requireAdmin)
  const by = (id: string) => ({ type: 'staff' as const, id })

  const load = async (id: string) => {
    const row = await repo.find(id)
    if (!row) throw new NotFound('no such MCP server')
    return row
  }
  const requireBot = async (botId: string) => {
    if (!(await repo.botExists(botId))) throw new NotFound('no such bot')
  }

  /**
   * Asks the server for its tools and stores the answer; allowed tools it no longer lists are
   * dropped. `newAddress`: the server's address just changed, so a failed listing leaves it no
   * tools (those listed were another server's); its permissions come back with a listing.
   */
  const refresh = async (row: McpServerRow, newAddress = false) => {
    const { headers, allowed } = storedFields(row)
    const listing = await deps.listTools({
      id: row.id,
      url: row.url,
      transport: mcpTransport.catch('streamable_http').parse(row.transport),
      headers,
      updatedAt: row.updatedAt,
    })
    if (!listing.ok) return repo.saveTools(row.id, { lastError: listing.error, ...(newAddress ? { tools: [] } : {}) })
    const names = new Set(listing.tools.map((tool) => tool.name))
    const kept = Object.fromEntries(Object.entries(allowed).filter(([name]) => names.has(name)))
    return repo.saveTools(row.id, { tools: listing.tools, allowed: kept, refreshedAt: new Date(), lastError: null })
  }

  router.get('/api/bots/:botId/mcp-servers', async (req, res) => {
    await requireBot(req.params.botId)
    res.json((await repo.list(req.params.botId)).map(toMcpServerView) satisfies McpServerListResponse)
  })

  router.post('/api/bots/:botId/mcp-servers', async (req, res) => {
    const body = validate(mcpServerCreateBody, req.body)
    await requireBot(req.params.botId)
    let created: McpServerRow
    try {
      created = await repo.create(req.params.botId, body)
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`this bot has an MCP server named ${body.name} already`)
      throw error
    }
    const row = await refresh(created)
    await deps.audit.record({
      actor: by(signedIn(res).staff.id),
      action: 'mcp_server.create',
      target: { type: 'mcp_server', id: row.id },
      data: { botId: row.botId, name: row.name, transport: row.transport, headers: Object.keys(body.headers) },
    })
    res.status(201).json(toMcpServerView(row) satisfies McpServerView)
  })

  router.patch('/api/mcp-servers/:id', async (req, res) => {
    const body = validate(mcpServerUpdateBody, req.body)
    const current = await load(req.params.id)
    const stored = storedFields(current)
    const change: Parameters<McpServersRepository['update']>[1] = {}
    if (body.name !== undefined) change.name = body.name
    if (body.url !== undefined) change.url = body.url
    if (body.transport !== undefined) change.transport = body.transport
    if (body.enabled !== undefined) change.enabled = body.enabled
    if (body.headers) {
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(body.headers)) {
        if (value !== hiddenHeaderValue) headers[name] = value
        else if (name in stored.headers) headers[name] = stored.headers[name]!
        else throw new BadRequest(`headers.${name}: no stored value to keep; send the value`)
      }
      change.headers = headers
    }
    if (body.allowed) {
      const listed = new Set(stored.tools.map((tool) => tool.name))
      const unknown = Object.keys(body.allowed).filter((name) => !listed.has(name))
      if (unknown.length > 0) throw new BadRequest(`allowed: the server does not list ${unknown.join(', ')}`)
      change.allowed = body.allowed
    }
    let row: McpServerRow
    try {
      row = await repo.update(current.id, change)
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`this bot has an MCP server named ${change.name ?? current.name} already`)
      throw error
    }
    // A new address may mean other tools: they are listed again at once.
    if (change.url !== undefined || change.transport !== undefined || change.headers !== undefined) row = await refresh(row, true)
    await deps.audit.record({
      actor: by(signedIn(res).staff.id),
      action: 'mcp_server.update',
      target: { type: 'mcp_server', id: row.id },
      // Names only: which fields changed, header names, the allowed tools; never a header value.
      data: {
        botId: row.botId,
        fields: Object.keys(change),
        ...(change.headers ? { headers: Object.keys(change.headers) } : {}),
        ...(change.allowed ? { allowed: change.allowed } : {}),
      },
    })
    res.json(toMcpServerView(row) satisfies McpServerView)
  })

  router.post('/api/mcp-servers/:id/refresh', async (req, res) => {
    const row = await refresh(await load(req.params.id))
    await deps.audit.record({
      actor: by(signedIn(res).staff.id),
      action: 'mcp_server.refresh',
      target: { type: 'mcp_server', id: row.id },
      data: { botId: row.botId, tools: storedFields(row).tools.length, failed: row.lastError !== null },
    })
    res.json(toMcpServerView(row) satisfies McpServerView)
  })

  router.delete('/api/mcp-servers/:id', async (req, res) => {
    const row = await load(req.params.id)
    if (!(await repo.remove(row.id))) throw new NotFound('no such MCP server')
    await deps.audit.record({
      actor: by(signedIn(res).staff.id),
      action: 'mcp_server.delete',
      target: { type: 'mcp_server', id: row.id },
      data: { botId: row.botId, name: row.name },
    })
    res.status(204).end()
  })

  return router
}
