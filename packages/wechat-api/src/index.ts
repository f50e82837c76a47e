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
export { wechatFromConfig, wechatTokenKey, type WeChatConfig } from './from-config.js'
