import { createContext, useContext } from 'react'
import { adminEn } from './messages/admin.en.js'
import { adminZh } from './messages/admin.zh.js'
import { trainingEn } from './messages/training.en.js'
import { trainingZh } from './messages/training.zh.js'
import { toolsEn } from './messages/tools.en.js'
import { toolsZh } from './messages/tools.zh.js'
import { weComEn } from './messages/wecom.en.js'
import { weComZh } from './messages/wecom.zh.js'

/** The app's languages: Chinese for most staff, English for the rest. */
export type Language = 'zh' | 'en'

const consoleEn = {
  'app.name': 'Chorus',
  'app.console': 'Agent console',
  'lang.label': 'Language',
  'lang.en': 'English',
  'lang.zh': '中文',

  'signIn.title': 'Sign in',
  'signIn.intro': 'Sign in to answer the conversations handed over by your bots, or to manage them.',
  'signIn.email': 'E-mail',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.busy': 'Signing in…',
  'signIn.invalid': 'Wrong e-mail or password.',
  'signIn.tooMany': 'Too many failed attempts. Try again in a few minutes.',
  'signIn.failed': 'Could not sign in: {message}',
  'signIn.check': 'Enter your e-mail address and your password.',
  signOut: 'Sign out',

  'me.available': 'Available',
  'me.away': 'Away',
  'me.availability': 'Availability',
  'me.availableHint': 'New conversations are assigned to you while the console is open. Click to go away.',
  'me.awayHint': 'No conversations are assigned to you. Click to become available.',
  'me.offlineHint': 'The console is offline: nothing is assigned to you until it reconnects.',
  'live.connected': 'Live',
  'live.connecting': 'Connecting…',
  'live.offline': 'Offline, reconnecting…',

  'inbox.label': 'Inbox',
  'inbox.tabs': 'Conversation lists',
  'inbox.tab.waiting': 'Waiting',
  'inbox.tab.mine': 'Mine',
  'inbox.tab.all': 'All',
  'inbox.search': 'Search conversations',
  'inbox.searchPlaceholder': 'Search messages, users, groups',
  'inbox.empty': 'No conversations here.',
  'inbox.loading': 'Loading…',
  'inbox.unassigned': 'Unassigned',
  'inbox.noMessages': 'No messages yet',
  'inbox.assignee': 'Assignee: {name}',
  'inbox.assignedToYou': 'A conversation was assigned to you.',
  'inbox.openAssigned': 'Open it',
  'inbox.new': 'New',

  'state.bot': 'Bot',
  'state.waiting': 'Waiting',
  'state.agent': 'With agent',
  'state.resolved': 'Resolved',

  'channel.wechat_group': 'WeChat group',
  'channel.wechat_private': 'Private chat',
  'channel.miniprogram': 'Mini-program',
  'channel.api': 'API',

  'role.user': 'User',
  'role.assistant': 'Bot',
  'role.agent': 'Agent',
  'role.system': 'System',
  'role.note': 'Private note',

  'conversation.none': 'Select a conversation from the inbox.',
  'conversation.loading': 'Loading conversation…',
  'conversation.back': 'Back to the inbox',
  'conversation.unknownUser': 'Unknown user',
  'conversation.messages': 'Messages',
  'conversation.newMessage': 'New message from {author}',
  'conversation.typing': 'The agent is typing…',
  'conversation.noMessages': 'No messages yet.',
  'conversation.details': 'Details',
  'conversation.summary': 'Handoff summary',
  'conversation.summaryExtractive': 'No model is configured: the user’s questions and the bot’s answers, taken from the conversation.',
  'conversation.user': 'User',
  'conversation.channel': 'Channel',
  'conversation.bot': 'Bot',
  'conversation.state': 'State',
  'conversation.assignee': 'Assignee',
  'conversation.handoffReason': 'Handoff reason',
  'conversation.rating': 'Rating',
  'conversation.timeline': 'Timeline',
  'conversation.noEvents': 'No state changes yet.',
  'conversation.event': '{from} → {to}',
  'conversation.by': 'by {actor}',
  'conversation.me': 'me',
  'conversation.status': 'Status: {status}',
  'conversation.undeliverable': 'Not delivered: {reason}',
  'messageStatus.received': 'received',
  'messageStatus.queued': 'queued',
  'messageStatus.ignored': 'ignored',
  'messageStatus.answered': 'answered',
  'messageStatus.refused': 'refused',
  'messageStatus.failed': 'failed',
  'messageStatus.stored': 'stored',
  'messageStatus.delivered': 'delivered',
  'messageStatus.superseded': 'answered with a later message',
  'messageStatus.undeliverable': 'not delivered',
  'reason.askedForPerson': 'the user asked for a person',
  'reason.botFailed': 'the bot failed to answer',
  'reason.takenOver': 'taken over by an agent',
  'reason.autoAssigned': 'auto-assigned',
  'reason.claimed': 'claimed',
  'reason.released': 'released to the bot',
  'reason.resolved': 'resolved',
  'reason.transferredToTeam': 'transferred to a team',
  'reason.transferredTo': 'transferred to {name}',
  'undeliverable.reply_window_closed': 'the user last wrote more than 48 hours ago; WeChat accepts no reply until they write again',
  'undeliverable.reply_limit_reached': '5 messages were already sent since the user last wrote; WeChat accepts more once they write again',
  'undeliverable.too_long': 'the message is too long for WeChat',
  'undeliverable.not_a_follower': 'WeChat does not let this user be written to',
  'undeliverable.retries_exhausted': 'sending failed again and again; nothing more will be tried',
  'undeliverable.refused': 'WeChat refused the message',

  'action.claim': 'Claim',
  'action.release': 'Release to bot',
  'action.resolve': 'Resolve',
  'action.transfer': 'Transfer',
  'action.cancel': 'Cancel',
  'action.confirm': 'Confirm',
  'action.claimed': 'You now own this conversation.',
  'action.released': 'The bot answers again.',
  'action.resolvedDone': 'Conversation resolved.',
  'action.transferred': 'Conversation transferred.',
  'action.conflict': 'Someone else has taken this conversation.',
  'resolve.title': 'Resolve the conversation',
  'resolve.rating': 'Rating (optional)',
  'resolve.askUser': 'Ask the user',
  'transfer.title': 'Transfer the conversation',
  'transfer.toAgent': 'To an agent',
  'transfer.toTeam': 'To a team',
  'transfer.choose': 'Choose…',
  'transfer.online': 'online',
  'transfer.offline': 'offline',

  'composer.label': 'Reply',
  'composer.noteLabel': 'Private note',
  'composer.placeholder': 'Type a reply. "/" + shortcut inserts a canned response. Ctrl+Enter sends.',
  'composer.notePlaceholder': 'Write a private note for your colleagues. It is never sent to the user.',
  'composer.disabled': 'Claim the conversation to reply.',
  'composer.assignedElsewhere': 'Only {name}, who has this conversation, can reply.',
  'composer.mode': 'Composer mode',
  'composer.modeReply': 'Reply',
  'composer.modeNote': 'Private note',
  'composer.send': 'Send',
  'composer.addNote': 'Add note',
  'composer.sending': 'Sending…',
  'composer.invalid': 'A message is 1 to 4,000 characters long.',
  'composer.canned': 'Canned responses',
  'composer.cannedNone': 'No canned responses yet.',
  'composer.cannedMatches': 'Matching canned responses',
  'composer.suggest': 'Suggest replies',
  'composer.suggesting': 'Thinking…',
  'composer.suggestions': 'Suggested replies',
  'composer.noSuggestions': 'No suggestions this time.',
  'composer.fromKnowledge': 'From the knowledge base (no model is configured):',
  'composer.source': 'Source: {document}',
  'composer.sourceQuestion': 'Source: {document} · {question}',
  'composer.suggestionsNeedModel':
    'Suggested replies need a model. None is configured, and the knowledge base has nothing for the user’s question.',

  'help.open': 'Keyboard shortcuts',
  'help.title': 'Keyboard shortcuts',
  'help.close': 'Close',
  'help.send': 'Send the reply or note',
  'help.prevNext': 'Previous / next conversation',
  'help.claim': 'Claim the open conversation',
  'help.release': 'Release it to the bot',
  'help.search': 'Search the inbox',
  'help.canned': 'Insert a canned response (in the composer)',
  'help.help': 'Show this help',

  'health.label': 'Service status',
  'health.ok': 'Service OK',
  'health.degraded': 'Service degraded',
  'health.unknown': 'Service status unknown',
  'health.detail': 'database {db}, Redis {redis}, {workers} pool worker(s)',
  'health.partOk': 'OK',
  'health.partDown': 'down',

  'error.generic': 'Something went wrong: {message}',
  'error.dismiss': 'Dismiss',
} as const

// The admin panel's strings live in ./messages to keep this file to the console's.
const en = { ...consoleEn, ...adminEn, ...weComEn, ...trainingEn, ...toolsEn }

/** A key of the dictionary: every user-visible string of the console and the admin panel has one. */
export type MessageKey = keyof typeof en

const consoleZh: Record<keyof typeof consoleEn, string> = {
  'app.name': 'Chorus',
  'app.console': '客服工作台',
  'lang.label': '语言',
  'lang.en': 'English',
  'lang.zh': '中文',

  'signIn.title': '登录',
  'signIn.intro': '登录后接待机器人转交的会话，或进行管理。',
  'signIn.email': '邮箱',
  'signIn.password': '密码',
  'signIn.submit': '登录',
  'signIn.busy': '正在登录…',
  'signIn.invalid': '邮箱或密码错误。',
  'signIn.tooMany': '失败次数过多，请几分钟后再试。',
  'signIn.failed': '登录失败：{message}',
  'signIn.check': '请填写邮箱地址和密码。',
  signOut: '退出登录',

  'me.available': '在线接待',
  'me.away': '暂离',
  'me.availability': '接待状态',
  'me.availableHint': '工作台打开期间，新会话会分配给你。点击切换为暂离。',
  'me.awayHint': '不会给你分配会话。点击切换为在线接待。',
  'me.offlineHint': '工作台已断开：重新连上之前不会给你分配会话。',
  'live.connected': '实时',
  'live.connecting': '连接中…',
  'live.offline': '已断开，正在重连…',

  'inbox.label': '收件箱',
  'inbox.tabs': '会话列表',
  'inbox.tab.waiting': '排队中',
  'inbox.tab.mine': '我的',
  'inbox.tab.all': '全部',
  'inbox.search': '搜索会话',
  'inbox.searchPlaceholder': '搜索消息、用户、群',
  'inbox.empty': '这里没有会话。',
  'inbox.loading': '加载中…',
  'inbox.unassigned': '未分配',
  'inbox.noMessages': '暂无消息',
  'inbox.assignee': '接待人：{name}',
  'inbox.assignedToYou': '有一个会话分配给了你。',
  'inbox.openAssigned': '打开',
  'inbox.new': '新',

  'state.bot': '机器人',
  'state.waiting': '排队中',
  'state.agent': '人工接待中',
  'state.resolved': '已解决',

  'channel.wechat_group': '微信群',
  'channel.wechat_private': '私聊',
  'channel.miniprogram': '小程序',
  'channel.api': 'API',

  'role.user': '用户',
  'role.assistant': '机器人',
  'role.agent': '客服',
  'role.system': '系统',
  'role.note': '内部备注',

  'conversation.none': '请从收件箱选择一个会话。',
  'conversation.loading': '正在加载会话…',
  'conversation.back': '返回收件箱',
  'conversation.unknownUser': '未知用户',
  'conversation.messages': '消息',
  'conversation.newMessage': '{author} 发来新消息',
  'conversation.typing': '客服正在输入…',
  'conversation.noMessages': '暂无消息。',
  'conversation.details': '详情',
  'conversation.summary': '转人工摘要',
  'conversation.summaryExtractive': '未配置模型：以下是从对话中摘录的用户问题和机器人的回答。',
  'conversation.user': '用户',
  'conversation.channel': '渠道',
  'conversation.bot': '机器人',
  'conversation.state': '状态',
  'conversation.assignee': '接待人',
  'conversation.handoffReason': '转人工原因',
  'conversation.rating': '评分',
  'conversation.timeline': '时间线',
  'conversation.noEvents': '暂无状态变更。',
  'conversation.event': '{from} → {to}',
  'conversation.by': '操作人：{actor}',
  'conversation.me': '我',
  'conversation.status': '状态：{status}',
  'conversation.undeliverable': '未能送达：{reason}',
  'messageStatus.received': '已收到',
  'messageStatus.queued': '排队中',
  'messageStatus.ignored': '已忽略',
  'messageStatus.answered': '已回答',
  'messageStatus.refused': '已拒绝',
  'messageStatus.failed': '失败',
  'messageStatus.stored': '已保存',
  'messageStatus.delivered': '已送达',
  'messageStatus.superseded': '已由后续消息一并回答',
  'messageStatus.undeliverable': '未送达',
  'reason.askedForPerson': '用户要求转人工',
  'reason.botFailed': '机器人多次没能回答',
  'reason.takenOver': '客服主动接手',
  'reason.autoAssigned': '自动分配',
  'reason.claimed': '认领',
  'reason.released': '交还机器人',
  'reason.resolved': '已解决',
  'reason.transferredToTeam': '转给团队',
  'reason.transferredTo': '转给 {name}',
  'undeliverable.reply_window_closed': '用户最后一次发言已超过 48 小时，在其再次发言前微信不允许回复',
  'undeliverable.reply_limit_reached': '自用户上次发言后已发出 5 条消息，需等用户再次发言',
  'undeliverable.too_long': '消息超出微信的长度限制',
  'undeliverable.not_a_follower': '微信不允许向该用户发送消息',
  'undeliverable.retries_exhausted': '多次发送均失败，不再重试',
  'undeliverable.refused': '微信拒绝了这条消息',

  'action.claim': '接入',
  'action.release': '交还机器人',
  'action.resolve': '解决',
  'action.transfer': '转接',
  'action.cancel': '取消',
  'action.confirm': '确定',
  'action.claimed': '你已接入此会话。',
  'action.released': '已交还机器人。',
  'action.resolvedDone': '会话已解决。',
  'action.transferred': '会话已转接。',
  'action.conflict': '此会话已被其他客服接入。',
  'resolve.title': '解决会话',
  'resolve.rating': '评分（可选）',
  'resolve.askUser': '请用户评分',
  'transfer.title': '转接会话',
  'transfer.toAgent': '转给客服',
  'transfer.toTeam': '转给团队',
  'transfer.choose': '请选择…',
  'transfer.online': '在线',
  'transfer.offline': '离线',

  'composer.label': '回复',
  'composer.noteLabel': '内部备注',
  'composer.placeholder': '输入回复。输入 “/” 加快捷词插入快捷回复，Ctrl+Enter 发送。',
  'composer.notePlaceholder': '给同事写内部备注，不会发送给用户。',
  'composer.disabled': '接入会话后才能回复。',
  'composer.assignedElsewhere': '此会话由 {name} 接待，只有 TA 可以回复。',
  'composer.mode': '输入模式',
  'composer.modeReply': '回复',
  'composer.modeNote': '内部备注',
  'composer.send': '发送',
  'composer.addNote': '添加备注',
  'composer.sending': '发送中…',
  'composer.invalid': '消息长度应为 1 到 4000 个字符。',
  'composer.canned': '快捷回复',
  'composer.cannedNone': '还没有快捷回复。',
  'composer.cannedMatches': '匹配的快捷回复',
  'composer.suggest': '推荐回复',
  'composer.suggesting': '思考中…',
  'composer.suggestions': '推荐的回复',
  'composer.noSuggestions': '这次没有推荐。',
  'composer.fromKnowledge': '来自知识库（未配置模型）：',
  'composer.source': '来源：《{document}》',
  'composer.sourceQuestion': '来源：《{document}》·{question}',
  'composer.suggestionsNeedModel': '推荐回复需要配置模型。当前没有模型，知识库里也没有与用户问题相关的内容。',

  'help.open': '键盘快捷键',
  'help.title': '键盘快捷键',
  'help.close': '关闭',
  'help.send': '发送回复或备注',
  'help.prevNext': '上一个 / 下一个会话',
  'help.claim': '接入当前会话',
  'help.release': '交还机器人',
  'help.search': '搜索收件箱',
  'help.canned': '插入快捷回复（在输入框中）',
  'help.help': '显示此帮助',

  'health.label': '服务状态',
  'health.ok': '服务正常',
  'health.degraded': '服务降级',
  'health.unknown': '服务状态未知',
  'health.detail': '数据库 {db}，Redis {redis}，{workers} 个推理进程',
  'health.partOk': '正常',
  'health.partDown': '不可用',

  'error.generic': '出错了：{message}',
  'error.dismiss': '关闭',
}

const zh: Record<MessageKey, string> = { ...consoleZh, ...adminZh, ...weComZh, ...trainingZh, ...toolsZh }

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, zh }

/** Looks `key` up in `language`'s dictionary and fills in `{name}` placeholders. */
export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

const storageKey = 'chorus.language'

/** The language remembered in this browser, else the browser's own (Chinese for any zh-*). */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(storageKey)
  if (stored === 'zh' || stored === 'en') return stored
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

/** Remembers the agent's choice for the next visit. */
export function rememberLanguage(language: Language): void {
  localStorage.setItem(storageKey, language)
}

/** The BCP 47 tag for `lang` attributes and `Intl` formatting. */
export function localeOf(language: Language): string {
  return language === 'zh' ? 'zh-CN' : 'en'
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

export interface I18n {
  language: Language
  setLanguage(language: Language): void
  t: Translate
}

export const I18nContext = createContext<I18n>({
  language: 'en',
  setLanguage: () => undefined,
  t: (key, params) => translate('en', key, params),
})

/** The current language and its `t`. */
export function useI18n(): I18n {
  return useContext(I18nContext)
}
