import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { nodeHttpFetch } from './node-http-fetch.js'

let server: Server
let base: string
const seen: { method?: string; headers: IncomingMessage['headers']; body: string }[] = []
const served = new WeakSet<object>()

async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let body = ''
  for await (const chunk of request) body += String(chunk)
  seen.push({ method: request.method, headers: request.headers, body })
  if (request.url === '/stream') {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.write('data: one\n\n')
    // The second event only after the client has read the first: the body streams.
    setTimeout(() => response.end('data: two\n\n'), 50)
  } else if (request.url === '/hang') {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.write('data: one\n\n')
  } else if (request.url === '/empty') {
    response.writeHead(204).end()
  } else if (request.url === '/odd') {
    response.writeHead(600, 'Weird').end()
  } else if (request.url === '/once-per-connection') {
    // A connection's second request finds it closed, as when the server timed it out meanwhile.
    if (served.has(request.socket)) return void request.socket.destroy()
    served.add(request.socket)
    response.end('ok')
  } else {
    response.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'r1' })
    response.end(JSON.stringify({ error: { message: 'bad', param: 'tools' } }))
  }
}

beforeAll(async () => {
  server = createServer((request, response) => void route(request, response))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('fetch over node:http for the OpenAI SDK', () => {
  it('sends the method, headers and body, and streams the response body as it arrives', async () => {
    const response = await nodeHttpFetch(`${base}/stream`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"model":"m"}',
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const reader = response.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n')
    let rest = ''
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += new TextDecoder().decode(part.value)
    expect(rest).toBe('data: two\n\n')
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"model":"m"}' })
    expect(seen.at(-1)!.headers).toMatchObject({ authorization: 'Bearer k', 'content-length': '13' })
  })

  it('gives an error status with its body and headers, and a bodiless status with none', async () => {
    const refused = await nodeHttpFetch(`${base}/bad`, { method: 'POST', body: new TextEncoder().encode('{}') })
    expect(refused.status).toBe(400)
    expect(refused.headers.get('x-request-id')).toBe('r1')
    expect(await refused.json()).toEqual({ error: { message: 'bad', param: 'tools' } })
    const empty = await nodeHttpFetch(`${base}/empty`)
    expect(empty.status).toBe(204)
    expect(empty.body).toBeNull()
  })

  it('sends a request again, once, when the kept-alive connection it was written on was closed', async () => {
    expect(await (await nodeHttpFetch(`${base}/once-per-connection`)).text()).toBe('ok')
    // The same connection again: the server closes it; the request goes out on a new one.
    expect(await (await nodeHttpFetch(`${base}/once-per-connection`)).text()).toBe('ok')
  })

  it('rejects a status no response can have, as fetch does, instead of throwing where nobody catches', async () => {
    await expect(nodeHttpFetch(`${base}/odd`)).rejects.toThrow(TypeError)
  })

  it('aborts a request mid-body when its signal fires, and rejects an unreachable server', async () => {
    const controller = new AbortController()
    const response = await nodeHttpFetch(`${base}/hang`, { signal: controller.signal })
    const reader = response.body!.getReader()
    await reader.read()
    controller.abort()
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' })

    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    await expect(nodeHttpFetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    await expect(nodeHttpFetch(`${base}/stream`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
  })
})
