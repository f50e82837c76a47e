import type { LiveEvent } from '@chorus/protocol'
import { useEffect, useRef, useState } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { openEventStream, type StreamStatus } from '../live/event-stream.js'

/**
 * Keeps the live event stream open while the console is shown (this is what makes the agent
 * online) and hands every event to the latest `onEvent`; `onReconnect` runs when the stream
 * opens again after a drop, since events may have been missed meanwhile.
 */
export function useLiveEvents(api: ApiClient, onEvent: (event: LiveEvent) => void, onReconnect: () => void): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting')
  const handlers = useRef({ onEvent, onReconnect })
  useEffect(() => {
    handlers.current = { onEvent, onReconnect }
  }, [onEvent, onReconnect])

  useEffect(() => {
    let dropped = false
    return openEventStream(api, {
      onEvent: (event) => handlers.current.onEvent(event),
      onStatus: (next) => {
        setStatus(next)
        if (next === 'closed') dropped = true
        if (next === 'open' && dropped) {
          dropped = false
          handlers.current.onReconnect()
        }
      },
    })
  }, [api])

  return status
}
