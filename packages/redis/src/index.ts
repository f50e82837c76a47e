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
export { hashTag, KeySpace } from './key-space.js'
export { MemoryRateLimiter } from './memory-rate-limiter.js'
export { RateLimiter, type RateDecision, type RateLimit, type RateLimitKeys, type RateLimiting } from './rate-limiter.js'
export { releaseRedisLock, withRedisLock } from './redis-lock.js'
export { StreamAcks } from './stream-acks.js'
export { TurnPipeline } from './turn-pipeline.js'
export { SharedSchedule, type SharedScheduleOptions } from './shared-schedule.js'
