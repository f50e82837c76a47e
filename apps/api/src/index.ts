export { createApp, type AppDeps } from './app.js'
export { apiConfigSchema, type ApiConfig } from './config.js'
export { ApiRedisKeys } from './redis-keys.js'
export { startApi, type RunningApi } from './start-api.js'
