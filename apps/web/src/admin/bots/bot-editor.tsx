import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { adminHash } from '../../hooks/use-section.js'
import { useI18n, type MessageKey } from '../../i18n.js'
import { LoadError } from '../ui/notice.js'
import { BotSettingsForm } from './bot-settings-form.js'
import { EnabledBadge } from './enabled-badge.js'
import { KnowledgePanel } from './knowledge-panel.js'
import { TestChat } from './test-chat.js'
import { ToolsPanel } from './tools-panel.js'
import { WeChatPanel } from './wechat-panel.js'

const tabs = ['settings', 'knowledge', 'tools', 'wechat'] as const
type Tab = (typeof tabs)[number]
const tabLabels: Record<Tab, MessageKey> = {
  settings: 'bot.tab.settings',
  knowledge: 'bot.tab.knowledge',
  tools: 'bot.tab.tools',
  wechat: 'bot.tab.wechat',
}

/** One bot: its settings beside a live test chat, its knowledge base, its tools, and its WeChat account. */
export function BotEditor(props: { admin: AdminApi; botId: string; tab: string | undefined }) {
  const { t } = useI18n()
  const { admin, botId } = props
  const tab: Tab = tabs.find((known) => known === props.tab) ?? 'settings'
  const queries = useQueryClient()
  const bot = useQuery({ queryKey: queryKeys.bot(botId), queryFn: () => admin.bot(botId) })
  const endpoints = useQuery({ queryKey: queryKeys.modelEndpoints, queryFn: () => admin.modelEndpoints() })
  const saved = (next: Bot) => {
    queries.setQueryData(queryKeys.bot(botId), next)
    void queries.invalidateQueries({ queryKey: queryKeys.bots, exact: true })
  }
  const [dirty, setDirty] = useState(false)
  const [persona, setPersona] = useState<string | undefined>(undefined)

  return (
    <>
      <p className="breadcrumb">
        <a href={adminHash('bots')}>← {t('bots.all')}</a>
      </p>
      <LoadError error={bot.error} onRetry={() => void bot.refetch()} />
      {bot.data && (
        <>
          <div className="page-title-row">
            <h1 data-testid="bot-title">{bot.data.name}</h1>
            <EnabledBadge enabled={bot.data.enabled} />
          </div>
          <nav className="sub-tabs" aria-label={t('bot.sections')}>
            {tabs.map((each) => (
              <a
                key={each}
                href={each === 'settings' ? adminHash('bots', botId) : adminHash('bots', botId, each)}
                aria-current={each === tab ? 'page' : undefined}
                data-testid={`bot-tab-${each}`}
              >
                {t(tabLabels[each])}
              </a>
            ))}
          </nav>
          {/* Hidden rather than unmounted on the other tabs: unsaved edits and the test chat survive a look at them. */}
          <div className="bot-settings-layout" hidden={tab !== 'settings'}>
            <BotSettingsForm
              key={bot.data.updatedAt}
              admin={admin}
              bot={bot.data}
              endpoints={endpoints.data ?? []}
              onSaved={saved}
              onDirty={setDirty}
              onPersona={setPersona}
            />
            <TestChat admin={admin} botId={botId} dirty={dirty} persona={persona} />
          </div>
          {tab === 'knowledge' && <KnowledgePanel admin={admin} bot={bot.data} />}
          {tab === 'tools' && <ToolsPanel admin={admin} bot={bot.data} settingsDirty={dirty} onSaved={saved} />}
          {tab === 'wechat' && <WeChatPanel admin={admin} botId={botId} />}
        </>
      )}
    </>
  )
}
