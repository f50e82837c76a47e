import Taro from '@tarojs/taro'
import { headerOf, type HttpAnswer, type HttpCall, type HttpTask } from './transport'
import { Utf8Decoder } from './utf8'

/**
 * WeChat: wx.request. An event stream needs `enableChunked` (base library 2.20.2+): its bytes come
 * to onChunkReceived as ArrayBuffers, decoded here (the engine may have no TextDecoder). Whether
 * the answer is a stream is known from its headers; any other answer is collected as its body.
 */
export function send(call: HttpCall): HttpTask {
  const chunked = call.onText !== undefined
  const decoder = new Utf8Decoder()
  let streamed = false
  let collected = ''
  const task = Taro.request({
    url: call.url,
    method: call.method,
    header: call.body === undefined ? call.headers : { ...call.headers, 'content-type': 'application/json' },
    data: call.body === undefined ? undefined : JSON.stringify(call.body),
    // The body is read as text here, not parsed: errors and JSON are handled alike by the API client.
    dataType: '其他',
    responseType: chunked ? 'arraybuffer' : 'text',
    enableChunked: chunked,
    timeout: call.timeoutMs,
  })
  if (chunked) {
    task.onHeadersReceived((res) => {
      streamed = (headerOf(res.header, 'content-type') ?? '').includes('text/event-stream')
    })
    task.onChunkReceived((res) => {
      const text = decoder.decode(new Uint8Array(res.data))
      if (streamed) call.onText?.(text)
      else collected += text
    })
  }
  const done = task.then(
    (res): HttpAnswer => {
      const rest = decoder.end()
      if (streamed && rest) call.onText?.(rest)
      let body = streamed ? '' : collected + rest
      // Without chunks (or before the base library delivers them), the whole body is in `data`.
      if (!streamed && !body && res.data)
        body = res.data instanceof ArrayBuffer ? new Utf8Decoder().decode(new Uint8Array(res.data)) : String(res.data)
      return { status: res.statusCode, body, retryAfter: headerOf(res.header, 'retry-after') }
    },
    (error: { errMsg?: string }) => {
      throw new Error(error.errMsg ?? 'request failed')
    },
  )
  return { done, abort: () => task.abort() }
}
