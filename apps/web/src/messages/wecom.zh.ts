import type { WeComMessageKey } from './wecom.en.js'

// The admin panel's WeCom customer-service page, in Chinese.
export const weComZh: Record<WeComMessageKey, string> = {
  'nav.wecom': '微信客服',
  'channel.wecom_kf': '微信客服',
  'wecom.title': '微信客服',
  'wecom.intro': '客户在微信客服账号里发来的消息在这里和其他渠道一样得到回答。在企业微信管理后台的配置步骤见 docs/wecom.md。',
  'wecom.notConfigured':
    '尚未配置：请设置 WECOM_CORP_ID、WECOM_KF_SECRET、WECOM_KF_TOKEN 和 WECOM_KF_AES_KEY 后重启 Chorus（见 docs/wecom.md）。',
  'wecom.status': '状态',
  'wecom.tokenOk': 'access_token：正常',
  'wecom.tokenFailed': 'access_token 获取失败：{error}',
  'wecom.accounts': '客服账号',
  'wecom.accountsHint':
    '客服账号收到第一条消息后出现在这里。只有一个机器人且未关联时，由它回答所有账号；有多个机器人时，请为每个账号关联机器人。',
  'wecom.none': '还没有客服账号收到消息。',
  'wecom.account': '客服账号（open_kfid）',
  'wecom.bot': '机器人',
  'wecom.noBot': '未关联',
  'wecom.botFor': '回答 {account} 的机器人',
  'wecom.lastSync': '最近拉取',
  'wecom.lastError': '最近错误',
  'wecom.never': '从未',
  'wecom.linked': '{account} 现在由 {bot} 回答。',
  'wecom.unlinked': '{account} 已取消关联机器人。',
  'wecom.handoff': '微信客服转人工',
  'wecom.handoffHint': '微信客服会话转人工时由谁接待。',
  'wecom.handoffConsole': '本控制台的坐席',
  'wecom.handoffServicers': '企业微信的接待人员（机器人不再回答）',
}
