import { Text, View } from '@tarojs/components'
import type { ChatItem } from '../hooks/useChat'

/** One message: the user's on the right; the bot's and agents' on the left under a name; notices centred. */
export function MessageRow({ item }: { item: ChatItem }) {
  if (item.role === 'system' || item.role === 'error') {
    return (
      <View className={`notice notice--${item.role}`}>
        <Text className="notice__text">{item.text}</Text>
      </View>
    )
  }
  const mine = item.role === 'user'
  return (
    <View className={`row row--${mine ? 'mine' : 'theirs'}`}>
      {!mine && <Text className="row__name">{item.role === 'agent' ? (item.author ?? '人工客服') : '智能助手'}</Text>}
      <View className={`bubble bubble--${item.role}${item.streaming ? ' bubble--streaming' : ''}`}>
        <Text className="bubble__text" userSelect>
          {shownText(item)}
        </Text>
        {item.streaming && !item.text && <View className="bubble__thinking">正在思考…</View>}
      </View>
    </View>
  )
}

// The handoff button is stored as the user typing /human; say what it did instead.
const shownText = (item: ChatItem) => (item.role === 'user' && item.text.trim() === '/human' ? '转人工客服' : item.text)
