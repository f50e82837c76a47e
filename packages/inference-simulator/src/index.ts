export { createSimulatorRouter, simulatorModelName, startSimulatorServer, type RunningSimulator } from './router.js'
export { defaultSimulatorParams, SimulatedReplica, type SimulatedMessage, type SimulatorParams } from './replica.js'
export {
  answerFromToolResults,
  planToolTurn,
  toolArguments,
  toolCallId,
  type SimulatedTool,
  type SimulatedToolCall,
  type SimulatedToolChoice,
  type SimulatedToolRequest,
  type SimulatedToolTurn,
} from './tool-calls.js'
