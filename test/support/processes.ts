import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** The children of a process that run the server (tsx's loader starts an esbuild child as well). */
export function serverChildren(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    read(`/proc/${pid}/task/${task}/children`).split(' ').filter(Boolean).map(Number),
  )
  return children.filter((child) => read(`/proc/${child}/cmdline`).includes('src/server.ts')).sort()
}

/** True while the process runs: not gone, and not a zombie whose exit nobody has collected yet. */
export function isAlive(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`)
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0')

/**
 * Which of `pids` holds the server's end of the TCP connection from 127.0.0.1:`clientPort` to
 * 127.0.0.1:`serverPort`: the socket's inode from /proc/net/tcp, then the process with a file
 * descriptor on it.
 */
export function connectionOwner(pids: number[], serverPort: number, clientPort: number): number | undefined {
  const local = `0100007F:${hexPort(serverPort)}`
  const remote = `0100007F:${hexPort(clientPort)}`
  const row = read('/proc/net/tcp')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[1] === local && fields[2] === remote)
  const socket = `socket:[${row?.[9]}]`
  return pids.find((pid) =>
    readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === socket
      } catch {
        return false
      }
    }),
  )
}

/** The TCP ports (IPv4 and IPv6) a process listens on: its sockets in state LISTEN, from /proc. */
export function listeningPorts(pid: number): number[] {
  const sockets = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/${pid}/fd/${fd}`)]
      } catch {
        return []
      }
    }),
  )
  return [...read('/proc/net/tcp').split('\n'), ...read('/proc/net/tcp6').split('\n')]
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && sockets.has(`socket:[${fields[9]}]`))
    .map((fields) => parseInt(fields[1]!.split(':')[1]!, 16))
    .sort((a, b) => a - b)
}
