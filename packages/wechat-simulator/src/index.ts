// The simulated WeChat's shared state in Redis: what was said in each simulated chat, which
// simulated accounts are up, and the commands the API sends to the bot processes hosting them.
export {
  appendTranscript,
  liveAccounts,
  markAccountAlive,
  markAccountGone,
  postToChat,
  readTranscript,
  readTranscriptLine,
  simulatorCommandsKey,
  simulatorIdKey,
  transcriptKey,
} from './transcript.js'
export { loadWorld, rememberWorld, type SimulatedWorld } from './world.js'
