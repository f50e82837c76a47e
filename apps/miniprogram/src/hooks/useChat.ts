import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'
import { ChatApi, type ChatDone, type ChatMessage, type Role } from '../lib/api'
import { describeError } from '../lib/wording'

/** One row of the conversation as the page shows it. */
export interface ChatItem {
  /** React key, stable while a streamed reply turns into the stored one. */
  key: string
  /** The message's id in the API once known: a message that arrives twice is shown once. */
  id: string | null
  /** `error` is the page's own inline notice of a failure. */
  role: Role | 'error'
  text: string
  author: string | null
  /** A bot reply still being written. */
  streaming?: boolean
}

export type Phase = 'starting' | 'ready' | 'failed'

// How long "客服正在输入…" stays after the agent's last keystroke event.
const typingMs = 5000

let counter = 0
/** The app's own id for a message ([\w-], as the API wants): sending it again is not a second message. */
const localId = () => `c${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`

const fromMessage = (m: ChatMessage): ChatItem => ({ key: `m${m.id}`, id: m.id, role: m.role, text: m.text, author: m.author })

/** The conversation: history, sending with a streamed answer, handoff, and what arrives live. */
export function useChat() {
  const [api] = useState(() => new ChatApi(CHORUS_MP_API_BASE))
  const [items, setItems] = useState<ChatItem[]>([])
  const [phase, setPhase] = useState<Phase>('starting')
  const [fatal, setFatal] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [hasMore, setHasMore] = useState(false)
  const [loadingEarlier, setLoadingEarlier] = useState(false)
  const [typing, setTyping] = useState(false)
  const [shown, setShown] = useState(true)
  // Changes whenever the list should scroll to its end (the page alternates scrollTop with it).
  const [follow, setFollow] = useState(0)
  const sendingNow = useRef(false)
  // Messages that arrive while an answer streams wait for it: the streamed reply itself may come
  // live too, before its `done` tells us its id.
  const held = useRef<ChatMessage[]>([])
  const typingTimer = useRef<ReturnType<typeof setTimeout>>()

  const toEnd = useCallback(() => setFollow((n) => n + 1), [])

  const receive = useCallback(
    (messages: ChatMessage[]) => {
      if (sendingNow.current) {
        held.current.push(...messages)
        return
      }
      if (messages.some((m) => m.role === 'agent')) setTyping(false)
      setItems((current) => {
        const known = new Set(current.map((i) => i.id))
        const fresh: ChatItem[] = []
        for (const message of messages) {
          if (known.has(message.id)) continue
          known.add(message.id)
          fresh.push(fromMessage(message))
        }
        return fresh.length > 0 ? [...current, ...fresh] : current
      })
      toEnd()
    },
    [toEnd],
  )

  useEffect(() => {
    api
      .history()
      .then((history) => {
        setItems(history.messages.map(fromMessage))
        setHasMore(history.hasMore)
        setPhase('ready')
        toEnd()
      })
      .catch((error: unknown) => {
        setFatal(describeError(error))
        setPhase('failed')
      })
  }, [api, toEnd])

  useDidShow(() => setShown(true))
  useDidHide(() => setShown(false))

  // The live stream is open while the page is shown (WeChat notifies the user otherwise).
  useEffect(() => {
    if (phase !== 'ready' || !shown) return
    return api.live({
      onMessage: (message) => receive([message]),
      onTyping: () => {
        setTyping(true)
        clearTimeout(typingTimer.current)
        typingTimer.current = setTimeout(() => setTyping(false), typingMs)
        toEnd()
      },
      // Whatever came while the stream was down (or before it first opened) is in the history.
      onConnected: () => {
        api.history().then(
          (history) => receive(history.messages),
          () => undefined,
        )
      },
    })
  }, [api, phase, shown, receive, toEnd])

  useEffect(() => () => clearTimeout(typingTimer.current), [])

  /** Shows the user's message and the answer growing as it streams, then the answer as stored. */
  const converse = useCallback(
    async (text: string, ask: (onDelta: (text: string) => void) => Promise<ChatDone>) => {
      const local = localId()
      const userKey = `u${local}`
      const replyKey = `r${local}`
      sendingNow.current = true
      setSending(true)
      setItems((current) => [
        ...current,
        { key: userKey, id: null, role: 'user', text, author: null },
        { key: replyKey, id: null, role: 'assistant', text: '', author: null, streaming: true },
      ])
      toEnd()
      try {
        const done = await ask((delta) => {
          setItems((current) => current.map((i) => (i.key === replyKey ? { ...i, text: i.text + delta } : i)))
          toEnd()
        })
        setItems((current) => settle(current, userKey, replyKey, done))
      } catch (error) {
        setItems((current) => [
          // A partly streamed reply stays (it is what the user saw); an empty one goes.
          ...current.flatMap((i) => (i.key !== replyKey ? [i] : i.text ? [{ ...i, streaming: false }] : [])),
          { key: `e${local}`, id: null, role: 'error', text: describeError(error), author: null },
        ])
      } finally {
        sendingNow.current = false
        setSending(false)
        receive(held.current.splice(0))
        toEnd()
      }
    },
    [receive, toEnd],
  )

  const send = useCallback((text: string) => converse(text, (onDelta) => api.sendMessage(text, localId(), onDelta)), [api, converse])

  const handoff = useCallback(() => {
    // First, before any await: WeChat shows the notification dialog only straight from a tap.
    api.offerNotification(CHORUS_MP_SUBSCRIBE_TEMPLATE_ID).catch(() => undefined)
    // Stored as the user typing /human, which is how the history shows it too.
    return converse('/human', (onDelta) => api.handoff(onDelta))
  }, [api, converse])

  const loadEarlier = useCallback(async () => {
    const oldest = items.find((i) => i.id !== null)?.id
    if (!oldest || loadingEarlier) return
    setLoadingEarlier(true)
    try {
      const history = await api.history(oldest)
      setItems((current) => {
        const known = new Set(current.map((i) => i.id))
        return [...history.messages.filter((m) => !known.has(m.id)).map(fromMessage), ...current]
      })
      setHasMore(history.hasMore)
    } catch (error) {
      setItems((current) => [...current, { key: `e${localId()}`, id: null, role: 'error', text: describeError(error), author: null }])
      toEnd()
    } finally {
      setLoadingEarlier(false)
    }
  }, [api, items, loadingEarlier, toEnd])

  return { items, phase, fatal, sending, hasMore, loadingEarlier, typing, follow, send, handoff, loadEarlier }
}

/** The user's message gets its id; the streamed reply becomes the stored one (or goes, when there is none). */
function settle(items: ChatItem[], userKey: string, replyKey: string, done: ChatDone): ChatItem[] {
  const { reply } = done
  const shownAlready = reply !== null && items.some((i) => i.id === reply.id)
  return items.flatMap((item) => {
    if (item.key === userKey) return [{ ...item, id: done.messageId }]
    if (item.key !== replyKey) return [item]
    if (!reply || shownAlready) return []
    return [{ ...item, id: reply.id, role: reply.role, text: reply.text, author: reply.author, streaming: false }]
  })
}
