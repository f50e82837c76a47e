import { Button, Input, View } from '@tarojs/components'

interface ComposerProps {
  draft: string
  onDraft(text: string): void
  onSend(): void
  onHandoff(): void
  /** Signed in and not waiting for an answer. */
  enabled: boolean
}

// Taro's H5 button writes disabled={false} as the attribute disabled="false", which its CSS reads as
// disabled: leave the attribute out instead.
const disabledIf = (disabled: boolean) => (disabled ? true : undefined)

/** The bar at the bottom: "talk to a person", the text field, send. */
export function Composer({ draft, onDraft, onSend, onHandoff, enabled }: ComposerProps) {
  return (
    <View className="composer">
      <Button className="composer__handoff" size="mini" disabled={disabledIf(!enabled)} onClick={onHandoff}>
        转人工
      </Button>
      <Input
        className="composer__input"
        value={draft}
        maxlength={1000}
        placeholder="请输入你的问题"
        confirmType="send"
        adjustPosition
        onInput={(e) => onDraft(e.detail.value)}
        onConfirm={onSend}
      />
      <Button className="composer__send" type="primary" size="mini" disabled={disabledIf(!enabled || !draft.trim())} onClick={onSend}>
        发送
      </Button>
    </View>
  )
}
