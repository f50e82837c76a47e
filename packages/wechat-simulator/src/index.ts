// The simulated WeChat's shared state in Redis: what was said in each simulated chat, and the
// commands the API sends to the bot process that hosts the simulated world.
export {
  appendTranscript,
  readTranscript,
  readTranscriptLine,
  simulatorAliveKey,
  simulatorCommandsKey,
  transcriptKey,
} from './transcript.js'
