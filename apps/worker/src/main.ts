import { createLogger, loadConfigOrExit, stopOnSignal } from '@chorus/config'
import { startWorker } from './chorus-worker.js'
import { workerConfigSchema } from './config.js'
import { selectEngine } from './select-engine.js'

const config = loadConfigOrExit(workerConfigSchema, 'worker')
const logger = createLogger('worker', config.LOG_LEVEL)
const worker = await startWorker(config, await selectEngine(config, logger), logger)
stopOnSignal(logger, () => worker.stop())
