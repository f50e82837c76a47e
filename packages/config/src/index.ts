export { chorusEnv, type ChorusEnv } from './env.js'
export { ConfigError, loadConfigOrExit, parseEnv } from './parse-env.js'
export { createLogger } from './logger.js'
export { stopOnSignal } from './shutdown.js'
