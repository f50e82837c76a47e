export { startWorker, type RunningWorker } from './chorus-worker.js'
export { workerConfigSchema, type WorkerConfig } from './config.js'
export { selectEngine } from './select-engine.js'
