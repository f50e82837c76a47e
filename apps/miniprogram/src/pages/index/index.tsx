import { useState } from 'react'
import { ScrollView, Text, View } from '@tarojs/components'
import { Composer } from '../../components/Composer'
import { MessageRow } from '../../components/MessageRow'
import { useChat } from '../../hooks/useChat'
import './index.css'

/** The chat page: the conversation with the bot (and an agent after a handoff). */
export default function ChatPage() {
  const chat = useChat()
  const [draft, setDraft] = useState('')
  const enabled = chat.phase === 'ready' && !chat.sending

  const submit = () => {
    const text = draft.trim()
    if (!text || !enabled) return
    setDraft('')
    void chat.send(text)
  }

  const handoff = () => {
    if (enabled) void chat.handoff()
  }

  return (
    <View className="chat">
      {/* scrollTop alternates between two values past the end: each change scrolls to the bottom again. */}
      <ScrollView className="chat__list" scrollY scrollTop={chat.follow % 2 ? 1_000_000 : 1_000_001}>
        {chat.hasMore && (
          <View className="chat__earlier" onClick={() => void chat.loadEarlier()}>
            {chat.loadingEarlier ? '加载中…' : '查看更早的消息'}
          </View>
        )}
        {chat.phase === 'starting' && <View className="notice">正在连接…</View>}
        {chat.items.map((item) => (
          <MessageRow key={item.key} item={item} />
        ))}
        {chat.typing && <View className="chat__typing">客服正在输入…</View>}
      </ScrollView>
      {chat.fatal && (
        <View className="chat__fatal">
          <Text>{chat.fatal}</Text>
        </View>
      )}
      <Composer draft={draft} onDraft={setDraft} onSend={submit} onHandoff={handoff} enabled={enabled} />
    </View>
  )
}
