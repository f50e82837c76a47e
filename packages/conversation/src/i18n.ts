import type { BotSettings } from '@chorus/protocol'

type Language = BotSettings['language']

const texts = {
  // In a group the bot answers only when mentioned; in a private chat (or the mini-program) every message is for it.
  helpGroup: {
    zh: '我是 {bot}，可以回答你的问题。\n在群里 @我 提问即可。\n/reset 重新开始对话\n/human 转人工客服\n/status 查看进度\n/help 显示本帮助',
    en: "I'm {bot} and I answer questions.\nIn a group, @mention me.\n/reset start over\n/human talk to a person\n/status see where your question is\n/help show this help",
  },
  helpPrivate: {
    zh: '我是 {bot}，可以回答你的问题。\n直接发消息提问即可。\n/reset 重新开始对话\n/human 转人工客服\n/status 查看进度\n/help 显示本帮助',
    en: "I'm {bot} and I answer questions.\nJust write your question here.\n/reset start over\n/human talk to a person\n/status see where your question is\n/help show this help",
  },
  reset: { zh: '好的，我们重新开始吧。之前的对话我已经忘记了。', en: "OK, let's start over. I've forgotten our earlier conversation." },
  human: {
    zh: '已为你转接人工客服，请稍候，客服会在这里回复你。',
    en: 'I have asked a person to help you; they will answer here shortly.',
  },
  humanAlready: { zh: '已经在为你转接人工客服了，请稍候。', en: 'A person has already been asked to help you; please wait a moment.' },
  statusIdle: { zh: '目前没有在处理你的问题，可以直接提问。', en: 'Nothing of yours is waiting; ask away.' },
  statusQueued: { zh: '你的问题正在处理中，前面大约还有 {n} 个问题。', en: 'Your question is being worked on; about {n} are ahead of it.' },
  statusAgent: { zh: '人工客服正在为你服务。', en: 'A person is looking after your conversation.' },
  thinking: { zh: '正在思考，请稍等…', en: 'Thinking, one moment…' },
  imageUnsupported: {
    zh: '抱歉，我暂时看不了图片，请用文字描述一下你的问题。',
    en: "Sorry, I can't read images yet; please describe your question in words.",
  },
  mediaUnsupported: { zh: '抱歉，我暂时只能处理文字消息。', en: 'Sorry, I can only handle text messages for now.' },
  refused: { zh: '抱歉，这个问题我无法回答。', en: "Sorry, I can't help with that." },
  handoffClosed: {
    zh: '现在不是人工客服的服务时间（{hours}），我先继续为你解答。',
    en: 'Our team is not available right now (hours: {hours}); I will keep helping you meanwhile.',
  },
  handoffNoAgents: {
    zh: '暂时没有人工客服在线，我先继续为你解答，稍后可以再发送 /human 转人工。',
    en: 'No one from our team is online right now; I will keep helping you. Send /human again later to reach a person.',
  },
  handoffAfterFailures: {
    zh: '抱歉，我没能回答你的问题，已为你转接人工客服，请稍候。',
    en: "Sorry, I couldn't answer that. I have asked a person to help you; please wait a moment.",
  },
  handoffUnavailableNoAgents: {
    zh: '抱歉，我没能回答你的问题，现在也没有人工客服在线。你可以换个说法再问我，或稍后发送 /human 转人工。',
    en: "Sorry, I couldn't answer that, and no one from our team is online right now. Try asking in other words, or send /human later to reach a person.",
  },
  handoffUnavailableClosed: {
    zh: '抱歉，我没能回答你的问题，现在也不是人工客服的服务时间（{hours}）。你可以换个说法再问我，或在服务时间内发送 /human 转人工。',
    en: "Sorry, I couldn't answer that, and our team is not available right now (hours: {hours}). Try asking in other words, or send /human during those hours to reach a person.",
  },
  agentJoined: { zh: '人工客服 {agent} 为你服务。', en: '{agent} from our team is here to help you.' },
  released: { zh: '人工服务已结束，接下来由 {bot} 继续为你解答。', en: '{bot} is back to help you.' },
  resolved: { zh: '本次服务已结束，感谢你的咨询。', en: 'This conversation is closed. Thank you for contacting us.' },
  resolvedSurvey: {
    zh: '本次服务已结束。请为本次服务打分：回复数字 1–5（5 表示非常满意）。',
    en: 'This conversation is closed. Please rate our help: reply with a number from 1 to 5 (5 = very satisfied).',
  },
  askWhich: { zh: '您是想问：\n{options}\n请回复序号。', en: 'Did you mean:\n{options}\nReply with the number.' },
  noMatch: {
    zh: '抱歉，我在资料里没有找到这个问题的答案。回复 /human 可以转人工客服。',
    en: "Sorry, I couldn't find the answer in our documents. Reply /human to reach a person.",
  },
  smallTalkGreeting: { zh: '您好！我是{bot}，有什么可以帮您？', en: "Hello! I'm {bot}. How can I help you?" },
  smallTalkThanks: { zh: '不客气，还有其他问题随时问我。', en: "You're welcome. Ask me anytime if you have other questions." },
  smallTalkAcknowledgement: { zh: '好的，还有其他问题随时问我。', en: 'OK. Ask me anytime if you have other questions.' },
  smallTalkFarewell: { zh: '再见！有问题随时找我。', en: 'Goodbye! Ask me anytime.' },
  sourcesLabel: { zh: '来源：', en: 'Sources: ' },
  groundingInstruction: {
    zh: '请只根据下面的资料回答用户的问题；资料里没有的内容，请直接说不知道，并建议用户回复 /human 转人工客服。不要编造。',
    en: "Answer the user's question only from the sources below. If they do not contain the answer, say you do not know and suggest replying /human to reach a person. Do not make things up.",
  },
  toolConfirm: {
    zh: '我将为你执行「{tool}」（{args}）。确认请回复“是”，取消请回复“否”。',
    en: 'I am about to run "{tool}" ({args}). Reply "yes" to go ahead or "no" to cancel.',
  },
  toolNoAnswer: {
    zh: '抱歉，我查询时遇到了问题，暂时无法给出答复。请稍后再试，或回复 /human 转人工客服。',
    en: 'Sorry, I ran into a problem looking that up and cannot answer right now. Please try again later, or reply /human to reach a person.',
  },
  ratingThanks: { zh: '感谢你的评价！', en: 'Thank you for your rating!' },
} as const

export type TextKey = keyof typeof texts

/** A user-facing text in the bot's language, with {placeholders} filled in. */
export function t(key: TextKey, language: Language, values: Record<string, string | number> = {}): string {
  return texts[key][language].replace(/\{(\w+)\}/g, (_m, name: string) => String(values[name] ?? ''))
}
