export {
  connectRedis,
  duplicateRedis,
  ensureConsumerGroup,
  parseClusterNodes,
  redisScript,
  redisTarget,
  type ConnectOptions,
  type RedisClient,
  type RedisTarget,
} from './connect.js'
export { Periodic } from './periodic.js'
export { RateLimiter, type RateDecision, type RateLimit, type RateLimitKeys } from './rate-limiter.js'
export { releaseRedisLock, withRedisLock } from './redis-lock.js'
