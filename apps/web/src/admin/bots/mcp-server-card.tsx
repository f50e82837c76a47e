import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { McpServer, McpServerPatch } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { Timestamp } from '../../components/timestamp.js'
import { localeOf, useI18n } from '../../i18n.js'
import { ConfirmDialog } from '../ui/confirm-dialog.js'
import type { Notices } from '../ui/notice.js'

type Allowed = McpServer['allowed']

/**
 * One MCP server: on or off, listed again on demand, removed; its last error and when its tools
 * were listed; and its tools, each allowed or not and, if allowed, needing the user's yes or not.
 */
export function McpServerCard(props: { admin: AdminApi; server: McpServer; notices: Notices }) {
  const { t, language } = useI18n()
  const { admin, server, notices } = props
  const queries = useQueryClient()
  const [confirmingDelete, setConfirmingDelete] = useState(false)
  const key = queryKeys.mcpServers(server.botId)
  const stored = (next: McpServer) => {
    queries.setQueryData<McpServer[]>(key, (list) => list?.map((each) => (each.id === next.id ? next : each)))
    void queries.invalidateQueries({ queryKey: key })
  }
  const update = useMutation({
    mutationFn: (patch: McpServerPatch) => admin.updateMcpServer(server.id, patch),
    onSuccess: stored,
    onError: notices.fail,
  })
  const refresh = useMutation({ mutationFn: () => admin.refreshMcpServer(server.id), onSuccess: stored, onError: notices.fail })
  const remove = useMutation({
    mutationFn: () => admin.deleteMcpServer(server.id),
    onSuccess: () => {
      notices.info(t('tools.deleted', { name: server.name }))
      void queries.invalidateQueries({ queryKey: key })
    },
    onError: notices.fail,
  })
  const busy = update.isPending || refresh.isPending || remove.isPending
  const setAllowed = (allowed: Allowed) => update.mutate({ allowed })
  const allow = (tool: string, on: boolean) => {
    const { [tool]: _dropped, ...rest } = server.allowed
    setAllowed(on ? { ...rest, [tool]: { confirm: false } } : rest)
  }

  return (
    <section className="card mcp-server" aria-labelledby={`mcp-${server.id}-title`} data-testid="mcp-server" data-name={server.name}>
      <div className="card-title-row">
        <h2 id={`mcp-${server.id}-title`}>{server.name}</h2>
        <label className="check-line">
          <input
            type="checkbox"
            data-testid="mcp-enabled"
            aria-label={t('tools.enabledFor', { name: server.name })}
            checked={server.enabled}
            disabled={busy}
            onChange={(event) => update.mutate({ enabled: event.target.checked })}
          />
          {t('tools.enabled')}
        </label>
        <div className="button-row">
          <button
            type="button"
            data-testid="mcp-refresh"
            aria-label={t('tools.refreshFor', { name: server.name })}
            disabled={busy}
            onClick={() => refresh.mutate()}
          >
            {t('tools.refresh')}
          </button>
          <button
            type="button"
            className="danger"
            data-testid="mcp-delete"
            aria-label={t('tools.deleteFor', { name: server.name })}
            disabled={busy}
            onClick={() => setConfirmingDelete(true)}
          >
            {t('tools.delete')}
          </button>
        </div>
      </div>
      <p className="muted small">
        <code>{server.url}</code> · {t(`tools.transport.${server.transport}`)}
        {server.headers.length > 0 && <> · {t('tools.headerNames', { names: server.headers.join(', ') })}</>}
        {' · '}
        {t('tools.refreshedAt')} <Timestamp iso={server.refreshedAt} locale={localeOf(language)} empty={t('tools.neverRefreshed')} />
      </p>
      {server.lastError && (
        <p className="form-error" data-testid="mcp-last-error">
          {t('tools.lastError', { error: server.lastError })}
        </p>
      )}
      {server.tools.length === 0 ? (
        <p className="muted">{t('tools.noTools')}</p>
      ) : (
        <table className="data-table" data-testid="mcp-tools">
          <thead>
            <tr>
              <th scope="col">{t('tools.tool')}</th>
              <th scope="col">{t('tools.description')}</th>
              <th scope="col">{t('tools.allow')}</th>
              <th scope="col">{t('tools.confirm')}</th>
            </tr>
          </thead>
          <tbody>
            {server.tools.map((tool) => {
              const permission = server.allowed[tool.name]
              return (
                <tr key={tool.name} data-testid="mcp-tool" data-tool={tool.name}>
                  <th scope="row">
                    <code>{tool.name}</code>
                  </th>
                  <td className="mcp-tool-description">{tool.description}</td>
                  <td>
                    <input
                      type="checkbox"
                      data-testid="mcp-tool-allow"
                      aria-label={t('tools.allowTool', { tool: tool.name })}
                      checked={!!permission}
                      disabled={busy}
                      onChange={(event) => allow(tool.name, event.target.checked)}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      data-testid="mcp-tool-confirm"
                      aria-label={t('tools.confirmTool', { tool: tool.name })}
                      checked={permission?.confirm ?? false}
                      disabled={busy || !permission}
                      onChange={(event) => setAllowed({ ...server.allowed, [tool.name]: { confirm: event.target.checked } })}
                    />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {confirmingDelete && (
        <ConfirmDialog
          title={t('tools.deleteTitle')}
          text={t('tools.deleteText', { name: server.name })}
          confirmLabel={t('tools.delete')}
          onConfirm={() => remove.mutate()}
          onClose={() => setConfirmingDelete(false)}
        />
      )}
    </section>
  )
}
