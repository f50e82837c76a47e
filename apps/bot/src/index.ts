export { botConfigSchema, type BotConfig } from './config.js'
export { startBot, type RunningBot } from './chorus-bot.js'
