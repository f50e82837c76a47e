import { trainingPairResponse, type answerRatingBody } from '@chorus/protocol'
import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useForm } from 'react-hook-form'
import { z } from 'zod'
import type { ApiClient } from '../api/api-client.js'
import { ApiError } from '../api/api-error.js'
import { useI18n } from '../i18n.js'
import { FormError } from './form-error.js'

type Rating = z.infer<typeof answerRatingBody>

// The better answer alone: the rating is the button that opened the box.
const correction = z.object({ betterAnswer: z.string().trim().min(1).max(8000) })

/**
 * Good or bad on one of the bot's answers (docs/datasets.md): a bad one needs the answer it
 * should have given. Either becomes a candidate pair that admins review on the training page.
 */
export function AnswerRating(props: { api: ApiClient; conversationId: string; messageId: string }) {
  const { t } = useI18n()
  const { api, conversationId, messageId } = props
  const inputId = useId()
  const [correcting, setCorrecting] = useState(false)
  const form = useForm({ resolver: zodResolver(correction), defaultValues: { betterAnswer: '' } })
  const rate = useMutation({
    mutationFn: (body: Rating) =>
      api.read(
        trainingPairResponse,
        'POST',
        `/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/rating`,
        body,
      ),
    onSuccess: () => setCorrecting(false),
  })
  const recorded = rate.isSuccess ? rate.variables.rating : null
  const submit = form.handleSubmit(({ betterAnswer }) => rate.mutate({ rating: 'bad', betterAnswer }))

  if (recorded && !correcting) {
    return (
      <p className="answer-rating-done" role="status" data-testid="rating-recorded" data-rating={recorded}>
        {t(recorded === 'good' ? 'rating.recordedGood' : 'rating.recordedBad')}{' '}
        <button type="button" className="link-like" onClick={() => rate.reset()}>
          {t('rating.change')}
        </button>
      </p>
    )
  }
  return (
    <div className="answer-rating" data-testid="answer-rating">
      <div className="answer-rating-buttons" role="group" aria-label={t('rating.label')}>
        <button type="button" data-testid="rate-good" disabled={rate.isPending} onClick={() => rate.mutate({ rating: 'good' })}>
          {t('rating.good')}
        </button>
        <button
          type="button"
          data-testid="rate-bad"
          disabled={rate.isPending}
          aria-expanded={correcting}
          onClick={() => setCorrecting(!correcting)}
        >
          {t('rating.bad')}
        </button>
      </div>
      {correcting && (
        <form className="answer-rating-form" onSubmit={(event) => void submit(event)}>
          <label htmlFor={inputId}>{t('rating.betterAnswer')}</label>
          <textarea id={inputId} data-testid="better-answer" rows={3} maxLength={8000} {...form.register('betterAnswer')} />
          {form.formState.errors.betterAnswer && (
            <span className="field-error" role="alert">
              {t('rating.betterAnswerRequired')}
            </span>
          )}
          <div className="answer-rating-actions">
            <button type="submit" className="primary" data-testid="rate-bad-submit" disabled={rate.isPending}>
              {t('rating.submit')}
            </button>
            <button type="button" onClick={() => setCorrecting(false)}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      )}
      <FormError message={rate.isError ? t('error.generic', { message: ApiError.from(rate.error).message }) : null} />
    </div>
  )
}
