export { createSimulatorRouter, simulatorModelName, startSimulatorServer, type RunningSimulator } from './router.js'
export { defaultSimulatorParams, SimulatedReplica, type SimulatorParams } from './replica.js'
