import { readdirSync, readFileSync } from 'node:fs'

// The kernel's clock ticks per second (USER_HZ), in which /proc reports CPU time: 100 on Linux.
const clockTicksPerSecond = 100

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces: cut at its closing parenthesis). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

const ms = (ticks: number) => (ticks * 1000) / clockTicksPerSecond

/** CPU time (user + system) process `pid` has used so far, ms (Linux). */
export function cpuMsOf(pid: number): number {
  const fields = statFields(pid)
  return ms(Number(fields[11]) + Number(fields[12]))
}

/**
 * CPU time of a server that forks a process per connection (PostgreSQL): the parent's, its
 * children's that ended (it reaped them), and its live children's, ms.
 */
export function cpuMsOfTree(pid: number): number {
  const fields = statFields(pid)
  let ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const child = statFields(Number(entry))
      if (Number(child[1]) === pid) ticks += Number(child[11]) + Number(child[12])
    } catch {
      // The process ended meanwhile.
    }
  }
  return ms(ticks)
}
