export { AccessTokens, MemoryTokenStore, type TokenFetcher, type TokenStore } from './access-token.js'
export { defaultApiBase, WeChatClient, type SecCheckResult, type SecCheckScene, type Session, type WeChatClientOptions } from './client.js'
export { errcodes, isStaleToken, WeChatApiError } from './errors.js'
export { decryptPush, encryptPush, messageSignature, pushSignature, verifyMessageSignature, verifyPushSignature } from './push-crypto.js'
export { findEncrypted, parsePushBody, pushMessage, type PushMessage } from './push-message.js'
export { maxXmlBytes, parseWeChatXml, WeChatXmlError } from './wechat-xml.js'
export {
  customerServiceLimits,
  customerServiceMaxChars,
  customerServiceRefusal,
  replyWindowRefusal,
  type SendRefusal,
} from './customer-service.js'
export { ContentCheck, RedisTokenStore, type ContentCheckPolicy, type ContentVerdict, type RedisLike } from './content-check.js'
export { wechatFromConfig, wechatTokenKey, weComKfFromConfig, weComTokenKey, type WeChatConfig, type WeComConfig } from './from-config.js'
export { defaultWeComApiBase, WeComKfClient, type SyncPage, type WeComKfClientOptions, type WeComKfOutgoing } from './wecom-kf-client.js'
export {
  syncMsgResponse,
  weComKfMessage,
  weComKfNotification,
  weComKfOrigin,
  weComKfServiceState,
  type WeComKfMessage,
  type WeComKfNotification,
} from './wecom-kf-message.js'
export { isInvalidMsgToken, weComKfRefusal } from './wecom-kf-refusal.js'
export { parseWeComKfChannelId, weComKfChannelId } from './wecom-kf-channel.js'
export { WeComServicersHandoff, type WeComHandoffEvents } from './wecom-kf-handoff.js'
