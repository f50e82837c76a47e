import { useState } from 'react'
import type { CannedResponse } from '@chorus/protocol'

/** The "/shortcut" being typed just before the caret, if any. */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)\/([^\s/]*)$/.exec(text.slice(0, caret))
  if (!match) return null
  return { start: caret - match[1]!.length - 1, query: match[1]!.toLowerCase() }
}

export interface CannedMatches {
  /** The "/shortcut" being typed, while one is. */
  slash: { start: number; query: string } | null
  matches: CannedResponse[]
  /** Whether the list of matches is shown (there are some, and Escape did not close it). */
  shown: boolean
  highlighted: number
  /** Moves the highlight one down (1) or up (-1), round the list. */
  move(step: 1 | -1): void
  /** Closes the list until another "/" is typed. */
  dismiss(): void
}

/** The canned responses whose shortcut starts with the "/…" typed before the caret, for the composer's completion list. */
export function useCannedMatches(canned: CannedResponse[], text: string, caret: number, enabled: boolean): CannedMatches {
  // The highlight and a dismissal belong to one "/…": typing another starts afresh.
  const [highlight, setHighlight] = useState({ query: '', index: 0 })
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)
  const slash = enabled ? slashQuery(text, caret) : null
  const matches = slash ? canned.filter((response) => response.shortcut.toLowerCase().startsWith(slash.query)) : []
  const highlighted = slash && highlight.query === slash.query ? Math.min(highlight.index, matches.length - 1) : 0
  return {
    slash,
    matches,
    shown: slash !== null && slash.start !== dismissedAt && matches.length > 0,
    highlighted,
    move: (step) => slash && setHighlight({ query: slash.query, index: (highlighted + step + matches.length) % matches.length }),
    dismiss: () => setDismissedAt(slash?.start ?? null),
  }
}
