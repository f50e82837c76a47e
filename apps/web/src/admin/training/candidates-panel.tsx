import type { TrainingPair } from '@chorus/protocol'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { Bot } from '../../api/admin-types.js'
import { queryKeys } from '../../api/query-keys.js'
import { useI18n } from '../../i18n.js'
import { LoadError, type Notices } from '../ui/notice.js'
import { PairCard } from './pair-card.js'
import type { PairReview, TrainingApi } from './training-api.js'

/** The candidate pairs waiting for review, one bot's or every bot's, newest first. */
export function CandidatesPanel(props: { training: TrainingApi; bots: Bot[]; notices: Notices }) {
  const { t } = useI18n()
  const { training, notices } = props
  const queries = useQueryClient()
  const [botId, setBotId] = useState('')
  const candidates = useQuery({
    queryKey: queryKeys.trainingPairs('candidate', botId),
    queryFn: () => training.pairs('candidate', botId || undefined),
  })
  const review = useMutation({
    mutationFn: ({ pair, review }: { pair: TrainingPair; review: PairReview }) => training.reviewPair(pair.id, review),
    onSuccess: (_pair, { review }) => {
      notices.info(t(review.status === 'rejected' ? 'pairs.rejected' : review.addToKnowledge ? 'pairs.acceptedFaq' : 'pairs.accepted'))
      // Accepted pairs change what a new dataset holds; an FAQ entry changes the bot's knowledge.
      void queries.invalidateQueries({ queryKey: ['training', 'pairs'] })
      if (review.addToKnowledge) void queries.invalidateQueries({ queryKey: queryKeys.bots })
    },
    onError: notices.fail,
  })
  const botName = (id: string) => props.bots.find((bot) => bot.id === id)?.name

  return (
    <section className="card" aria-labelledby="pairs-title" aria-busy={candidates.isFetching}>
      <div className="card-title-row">
        <h2 id="pairs-title">{t('pairs.title')}</h2>
        <label className="inline-select">
          {t('training.bot')}{' '}
          <select data-testid="pairs-bot" value={botId} onChange={(event) => setBotId(event.target.value)}>
            <option value="">{t('training.allBots')}</option>
            {props.bots.map((bot) => (
              <option key={bot.id} value={bot.id}>
                {bot.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="hint">{t('pairs.hint')}</p>
      <LoadError error={candidates.error} onRetry={() => void candidates.refetch()} />
      {candidates.data?.length === 0 && <p className="muted">{t('pairs.none')}</p>}
      <ul className="pair-list" data-testid="pair-list">
        {candidates.data?.map((pair) => (
          <PairCard
            key={pair.id}
            pair={pair}
            botName={botId ? undefined : botName(pair.botId)}
            busy={review.isPending && review.variables.pair.id === pair.id}
            onReview={(decision) => review.mutate({ pair, review: decision })}
          />
        ))}
      </ul>
    </section>
  )
}
