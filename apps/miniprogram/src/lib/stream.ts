import type { HttpCall, HttpTask } from './transport'

// Taro builds stream.h5.ts or stream.weapp.ts in place of this file (by TARO_ENV); TypeScript
// reads this one for the signature both of them have. Any other platform ends up here.
export function send(_call: HttpCall): HttpTask {
  return { done: Promise.reject(new Error('no HTTP transport for this platform')), abort: () => undefined }
}
