import type { ConversationSummary } from '@chorus/protocol'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { queryKeys } from '../api/query-keys.js'
import type { ConversationActions } from '../hooks/use-conversation-actions.js'
import { useI18n } from '../i18n.js'
import { FormError } from './form-error.js'
import { Modal } from './modal.js'

/** What an agent may do with a conversation in its state. */
export function allowedActions(conversation: ConversationSummary, myId: string | undefined) {
  const open = conversation.state !== 'resolved'
  return {
    claim: conversation.state === 'bot' || conversation.state === 'waiting',
    release: conversation.state === 'waiting' || conversation.state === 'agent',
    resolve: open,
    transfer: conversation.state === 'waiting' || conversation.state === 'agent',
    reply: conversation.state === 'agent' && !!myId && conversation.assignee?.id === myId,
  }
}

/** Claim, Release to bot, Resolve (with an optional rating) and Transfer (to an agent or a team). */
export function ConversationActionBar(props: {
  api: ApiClient
  conversation: ConversationSummary
  myId: string | undefined
  actions: ConversationActions
}) {
  const { t } = useI18n()
  const [dialog, setDialog] = useState<'resolve' | 'transfer' | null>(null)
  const allowed = allowedActions(props.conversation, props.myId)
  const { actions } = props
  return (
    <div className="action-bar">
      <button
        type="button"
        className={allowed.claim ? 'primary' : undefined}
        data-testid="claim-button"
        disabled={!allowed.claim || actions.busy}
        onClick={() => void actions.claim()}
      >
        {t('action.claim')}
      </button>
      <button type="button" data-testid="release-button" disabled={!allowed.release || actions.busy} onClick={() => void actions.release()}>
        {t('action.release')}
      </button>
      <button type="button" data-testid="resolve-button" disabled={!allowed.resolve || actions.busy} onClick={() => setDialog('resolve')}>
        {t('action.resolve')}
      </button>
      <button
        type="button"
        data-testid="transfer-button"
        disabled={!allowed.transfer || actions.busy}
        onClick={() => setDialog('transfer')}
      >
        {t('action.transfer')}
      </button>
      {dialog === 'resolve' && (
        <ResolveDialog
          onClose={() => setDialog(null)}
          onResolve={(rating) => {
            setDialog(null)
            void actions.resolve(rating)
          }}
        />
      )}
      {dialog === 'transfer' && (
        <TransferDialog
          api={props.api}
          myId={props.myId}
          onClose={() => setDialog(null)}
          onTransfer={(target) => {
            setDialog(null)
            void actions.transfer(target)
          }}
        />
      )}
    </div>
  )
}

function ResolveDialog(props: { onClose: () => void; onResolve: (rating?: number) => void }) {
  const { t } = useI18n()
  const [rating, setRating] = useState<number | undefined>(undefined)
  return (
    <Modal title={t('resolve.title')} onClose={props.onClose} testId="resolve-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault()
          props.onResolve(rating)
        }}
      >
        <fieldset className="rating">
          <legend>{t('resolve.rating')}</legend>
          <label>
            <input type="radio" name="rating" checked={rating === undefined} onChange={() => setRating(undefined)} />
            {t('resolve.askUser')}
          </label>
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value}>
              <input type="radio" name="rating" value={value} checked={rating === value} onChange={() => setRating(value)} />
              {value}
            </label>
          ))}
        </fieldset>
        <div className="modal-actions">
          <button type="button" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="resolve-confirm">
            {t('action.resolve')}
          </button>
        </div>
      </form>
    </Modal>
  )
}

function TransferDialog(props: {
  api: ApiClient
  myId: string | undefined
  onClose: () => void
  onTransfer: (target: { staffId: string } | { teamId: string }) => void
}) {
  const { t } = useI18n()
  const { api } = props
  const targets = useQuery({
    queryKey: queryKeys.transferTargets,
    queryFn: async () => {
      const [staff, teams] = await Promise.all([api.staff(), api.teams()])
      return { staff, teams }
    },
  })
  const staff = targets.data?.staff ?? []
  const teams = targets.data?.teams ?? []
  const [target, setTarget] = useState('')

  const [kind, id] = target.split(':')
  return (
    <Modal title={t('transfer.title')} onClose={props.onClose} testId="transfer-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (kind === 'staff' && id) props.onTransfer({ staffId: id })
          else if (kind === 'team' && id) props.onTransfer({ teamId: id })
        }}
      >
        <FormError message={targets.error ? t('error.generic', { message: targets.error.message }) : null} />
        <label htmlFor="transfer-target">
          {t('transfer.toAgent')} / {t('transfer.toTeam')}
        </label>
        <select
          id="transfer-target"
          data-testid="transfer-target"
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          required
        >
          <option value="">{t('transfer.choose')}</option>
          <optgroup label={t('transfer.toAgent')}>
            {staff
              .filter((member) => member.id !== props.myId)
              .map((member) => (
                <option key={member.id} value={`staff:${member.id}`}>
                  {member.displayName}
                  {member.online === undefined ? '' : ` (${member.online ? t('transfer.online') : t('transfer.offline')})`}
                </option>
              ))}
          </optgroup>
          <optgroup label={t('transfer.toTeam')}>
            {teams.map((team) => (
              <option key={team.id} value={`team:${team.id}`}>
                {team.name}
              </option>
            ))}
          </optgroup>
        </select>
        <div className="modal-actions">
          <button type="button" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="transfer-confirm" disabled={!id}>
            {t('action.transfer')}
          </button>
        </div>
      </form>
    </Modal>
  )
}
