export * from './errors.js'
export * from './health.js'
export * from './prompt-job.js'
export * from './simulator.js'
