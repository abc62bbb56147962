import { connect, createServer, type Socket } from 'node:net'

// Runs inside a test's network namespace (see netns.ts); its sockets are files, which every
// namespace shares. Arguments: the relay's socket path, then `port=path` for each port of
// 127.0.0.1 inside that is passed on to a socket outside.
//
// A connection to the relay's socket starts with one line of JSON, { host, port, localAddress },
// and is then joined to a TCP connection to host:port made from localAddress inside.

const [relayPath, ...forwards] = process.argv.slice(2)

function join(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a)
  a.on('error', () => b.destroy())
  b.on('error', () => a.destroy())
}

const relay = createServer((outside) => {
  let head = Buffer.alloc(0)
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk])
    const end = head.indexOf('\n')
    if (end < 0) return
    outside.off('data', onData)
    outside.pause()
    const target = JSON.parse(head.subarray(0, end).toString()) as { host: string; port: number; localAddress: string }
    const inside = connect(target)
    inside.once('connect', () => {
      inside.write(head.subarray(end + 1))
      join(outside, inside)
      outside.resume()
    })
    inside.once('error', () => outside.destroy())
  }
  outside.on('data', onData)
})

const listening = [new Promise<void>((resolve) => relay.listen(relayPath!, resolve))]
for (const forward of forwards) {
  const [port, path] = forward.split('=')
  const server = createServer((inside) => join(inside, connect(path!)))
  listening.push(new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve)))
}
await Promise.all(listening)
process.stdout.write('ready\n')
