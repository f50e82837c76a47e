import { createLogger, loadConfigOrExit, stopOnSignal } from '@chorus/config'
import { startBot } from './chorus-bot.js'
import { botConfigSchema } from './config.js'

const config = loadConfigOrExit(botConfigSchema, 'bot')
const logger = createLogger('bot', config.LOG_LEVEL)
const bot = await startBot(config, logger)
stopOnSignal(logger, () => bot.stop())
