import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { useI18n } from '../../i18n.js'
import { LoadError, NoticeBar, useNotices } from '../ui/notice.js'
import { McpServerCard } from './mcp-server-card.js'
import { McpServerForm } from './mcp-server-form.js'
import { ToolSettingsForm } from './tool-settings-form.js'

/** The bot's Tools tab: its built-in tools and limits, and the MCP servers whose tools it may call. */
export function ToolsPanel(props: { admin: AdminApi; bot: Bot; settingsDirty: boolean; onSaved: (bot: Bot) => void }) {
  const { t } = useI18n()
  const { admin, bot } = props
  const queries = useQueryClient()
  const notices = useNotices()
  const servers = useQuery({ queryKey: queryKeys.mcpServers(bot.id), queryFn: () => admin.mcpServers(bot.id) })

  return (
    <div className="tools-panel" data-testid="tools-panel">
      <p className="muted page-intro">{t('tools.intro')}</p>
      <NoticeBar notices={notices} />
      <ToolSettingsForm key={bot.updatedAt} admin={admin} bot={bot} settingsDirty={props.settingsDirty} onSaved={props.onSaved} />
      <h2>{t('tools.servers')}</h2>
      <p className="muted">{t('tools.serversHint')}</p>
      <LoadError error={servers.error} onRetry={() => void servers.refetch()} />
      {servers.data?.length === 0 && <p className="muted">{t('tools.none')}</p>}
      {servers.data?.map((server) => (
        <McpServerCard key={server.id} admin={admin} server={server} notices={notices} />
      ))}
      <McpServerForm
        admin={admin}
        botId={bot.id}
        onAdded={(server) => {
          notices.info(t('tools.added', { name: server.name }))
          void queries.invalidateQueries({ queryKey: queryKeys.mcpServers(bot.id) })
        }}
      />
    </div>
  )
}
