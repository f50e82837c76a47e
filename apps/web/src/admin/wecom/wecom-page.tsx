import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot, WeComAccount } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { FormError } from '../../components/form-error.js'
import { localeOf, useI18n } from '../../i18n.js'
import { Timestamp } from '../../components/timestamp.js'
import { formatFullTime } from '../../time-format.js'
import { NoticeBar, useNotices } from '../ui/notice.js'
import { ResourceTable } from '../ui/resource-table.js'

/**
 * WeCom customer service (微信客服, docs/wecom.md): whether it is configured and WeCom gives it an
 * access token, and its accounts, each with its last pull, its last error and the bot that answers it.
 */
export function WeComPage(props: { admin: AdminApi }) {
  const { t, language } = useI18n()
  const locale = localeOf(language)
  const { admin } = props
  const queries = useQueryClient()
  const status = useQuery({ queryKey: queryKeys.weCom, queryFn: () => admin.weCom() })
  // The same answer, its accounts: one request for both.
  const accounts = useQuery({ queryKey: queryKeys.weCom, queryFn: () => admin.weCom(), select: (view) => view.accounts })
  const bots = useQuery({ queryKey: queryKeys.bots, queryFn: () => admin.bots() })
  const notices = useNotices()

  const link = async (account: WeComAccount, botId: string | null) => {
    try {
      await admin.linkWeComAccount(account.openKfId, botId)
      const bot = bots.data?.find((b) => b.id === botId)
      notices.info(
        bot ? t('wecom.linked', { account: account.openKfId, bot: bot.name }) : t('wecom.unlinked', { account: account.openKfId }),
      )
      void queries.invalidateQueries({ queryKey: queryKeys.weCom })
    } catch (failure) {
      notices.fail(failure)
    }
  }

  const when = (iso: string | null) => <Timestamp iso={iso} locale={locale} empty={<span className="muted">{t('wecom.never')}</span>} />

  const token = status.data?.token
  return (
    <>
      <h1>{t('wecom.title')}</h1>
      <p className="muted page-intro">{t('wecom.intro')}</p>
      <NoticeBar notices={notices} />
      <section className="card" aria-labelledby="wecom-status-title" data-testid="wecom-status">
        <h2 id="wecom-status-title">{t('wecom.status')}</h2>
        {status.error && <FormError message={t('error.generic', { message: status.error.message })} />}
        {status.data && !status.data.configured && <p>{t('wecom.notConfigured')}</p>}
        {token && (
          <p>
            {token.ok ? (
              <span className="badge badge-ok">{t('wecom.tokenOk')}</span>
            ) : (
              <span className="badge badge-off">{t('wecom.tokenFailed', { error: token.error ?? '' })}</span>
            )}
          </p>
        )}
      </section>
      {status.data?.configured && (
        <ResourceTable
          resource={accounts}
          title={{ id: 'wecom-accounts-title', text: t('wecom.accounts') }}
          hint={t('wecom.accountsHint')}
          empty={t('wecom.none')}
          testId="wecom-accounts"
          columns={[t('wecom.account'), t('wecom.bot'), t('wecom.lastSync'), t('wecom.lastError')]}
          row={(account) => (
            <tr key={account.openKfId} data-testid="wecom-account">
              <th scope="row">
                <code>{account.openKfId}</code>
              </th>
              <td>
                <BotPicker account={account} bots={bots.data ?? []} onPick={(botId) => void link(account, botId)} />
              </td>
              <td>{when(account.lastSyncAt)}</td>
              <td>
                {account.lastError ? (
                  <span className="form-error" title={account.lastErrorAt ? formatFullTime(account.lastErrorAt, locale) : undefined}>
                    {account.lastError}
                  </span>
                ) : (
                  <span className="muted">–</span>
                )}
              </td>
            </tr>
          )}
        />
      )}
    </>
  )
}

function BotPicker(props: { account: WeComAccount; bots: Bot[]; onPick: (botId: string | null) => void }) {
  const { t } = useI18n()
  return (
    <select
      aria-label={t('wecom.botFor', { account: props.account.openKfId })}
      data-testid="wecom-bot"
      value={props.account.botId ?? ''}
      onChange={(event) => props.onPick(event.target.value || null)}
    >
      <option value="">{t('wecom.noBot')}</option>
      {props.bots.map((bot) => (
        <option key={bot.id} value={bot.id}>
          {bot.name}
        </option>
      ))}
    </select>
  )
}
