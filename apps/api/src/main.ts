import { createLogger, loadConfigOrExit, stopOnSignal } from '@chorus/config'
import { apiConfigSchema } from './config.js'
import { startApi } from './start-api.js'

const config = loadConfigOrExit(apiConfigSchema, 'api')
const logger = createLogger('api', config.LOG_LEVEL)
const api = await startApi(config, logger)
stopOnSignal(logger, () => api.stop())
