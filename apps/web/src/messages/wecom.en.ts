// The admin panel's WeCom customer-service page, in English (merged by ../i18n.ts).
export const weComEn = {
  'nav.wecom': 'WeCom',
  'channel.wecom_kf': 'WeCom customer service',
  'wecom.title': 'WeCom customer service',
  'wecom.intro':
    'Customers writing to your 微信客服 accounts are answered here like any other channel. Setting it up in WeCom’s admin console is described in docs/wecom.md.',
  'wecom.notConfigured':
    'Not configured: set WECOM_CORP_ID, WECOM_KF_SECRET, WECOM_KF_TOKEN and WECOM_KF_AES_KEY and restart Chorus (docs/wecom.md).',
  'wecom.status': 'Status',
  'wecom.tokenOk': 'Access token: OK',
  'wecom.tokenFailed': 'Access token refused: {error}',
  'wecom.accounts': 'Accounts',
  'wecom.accountsHint':
    'An account is listed once its first message arrived. With one bot and no link, that bot answers every account; with several, link each account to its bot.',
  'wecom.none': 'No account has written yet.',
  'wecom.account': 'Account (open_kfid)',
  'wecom.bot': 'Bot',
  'wecom.noBot': 'Not linked',
  'wecom.botFor': 'Bot answering {account}',
  'wecom.lastSync': 'Last pull',
  'wecom.lastError': 'Last error',
  'wecom.never': 'never',
  'wecom.linked': '{account} is answered by {bot}.',
  'wecom.unlinked': '{account} is no longer linked to a bot.',
  'wecom.handoff': 'WeCom customer service: a person is',
  'wecom.handoffHint': 'Who takes a 微信客服 conversation handed to a person.',
  'wecom.handoffConsole': 'an agent in this console',
  'wecom.handoffServicers': 'one of WeCom’s own servicers (the bot goes silent)',
} as const

export type WeComMessageKey = keyof typeof weComEn
