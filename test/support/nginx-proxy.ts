import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cpuMsOf } from '../faults/support/cpu.js'
import { freePort } from '../faults/support/private-services.js'
import { waitFor } from './wait-for.js'

const nginxBinary = '/usr/sbin/nginx'

/**
 * The reverse proxy in front of several API instances, configured as deploy/nginx.conf is for
 * docker-compose: round robin, streams (SSE) passed through unbuffered, a failed connection to
 * one instance tried on the next (for requests nginx may repeat: not a POST it already sent).
 */
export function proxyConfig(options: { dir: string; port: number; upstreams: string[] }): string {
  const temp = (name: string) => `${name}_temp_path ${join(options.dir, name)};`
  return `daemon off;
master_process off;
worker_processes 1;
pid ${join(options.dir, 'nginx.pid')};
error_log ${join(options.dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  log_format upstream '$upstream_addr $status';
  access_log ${join(options.dir, 'access.log')} upstream;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  client_max_body_size 25m;
  upstream chorus_api {
    ${options.upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=2s;`).join('\n    ')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${options.port};
    location / {
      proxy_pass http://chorus_api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
    }
  }
}
`
}

/** Debian's nginx (package nginx-light or nginx) on a free loopback port, in front of `upstreams` (host:port). */
export class NginxProxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(upstreams: string[]): Promise<NginxProxy> {
    if (!existsSync(nginxBinary)) throw new Error(`${nginxBinary} is missing: install Debian's nginx-light (apt-get install nginx-light)`)
    const dir = mkdtempSync(join(tmpdir(), 'chorus-nginx-'))
    const port = await freePort()
    const config = join(dir, 'nginx.conf')
    writeFileSync(config, proxyConfig({ dir, port, upstreams }))
    const child = spawn(nginxBinary, ['-c', config, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const proxy = new NginxProxy(child, dir, port)
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr}`)
        return fetch(`${proxy.url}/healthz`).then(
          () => true,
          () => false,
        )
      },
      10_000,
      'nginx to listen',
    )
    return proxy
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /**
   * How many requests each instance (`host:port`) answered so far, from the access log. A request
   * tried on one instance, then passed to the next, counts for the one that answered.
   */
  answeredBy(): Map<string, number> {
    const counts = new Map<string, number>()
    for (const line of readFileSync(join(this.dir, 'access.log'), 'utf8').split('\n')) {
      const answered = line.split(' ')[0]?.split(', ').at(-1)
      if (answered && answered !== '-') counts.set(answered, (counts.get(answered) ?? 0) + 1)
    }
    return counts
  }

  /** CPU time it has used so far, ms. */
  cpuMs(): number {
    return cpuMsOf(this.child.pid!)
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve))
      this.child.kill('SIGTERM')
      await exited
    }
    rmSync(this.dir, { recursive: true, force: true })
  }
}
