import type { SuggestionsResponse } from '@chorus/protocol'
import { useI18n } from '../i18n.js'

/** Suggested replies as chips to edit before sending: the model's, or without a model the knowledge base's, with their sources. */
export function SuggestionChips(props: { suggestions: SuggestionsResponse; onPick: (text: string) => void }) {
  const { t } = useI18n()
  const { suggestions } = props
  return (
    <div className="suggestions" role="group" aria-label={t('composer.suggestions')}>
      {suggestions.needsModel ? (
        <span className="muted" data-testid="suggestions-need-model">
          {t('composer.suggestionsNeedModel')}
        </span>
      ) : (
        suggestions.suggestions.length === 0 && <span className="muted">{t('composer.noSuggestions')}</span>
      )}
      {suggestions.source === 'knowledge' && suggestions.suggestions.length > 0 && (
        <span className="muted suggestions-source" data-testid="suggestions-source">
          {t('composer.fromKnowledge')}
        </span>
      )}
      {suggestions.suggestions.map((suggestion, index) => {
        const source = suggestions.sources?.[index]
        return (
          <button key={index} type="button" className="chip" data-testid="suggestion-chip" onClick={() => props.onPick(suggestion)}>
            {suggestion}
            {source && (
              <small className="chip-source">
                {source.question
                  ? t('composer.sourceQuestion', { document: source.document, question: source.question })
                  : t('composer.source', { document: source.document })}
              </small>
            )}
          </button>
        )
      })}
    </div>
  )
}
