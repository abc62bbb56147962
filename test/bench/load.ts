import autocannon from 'autocannon'

export type LoadOptions = Omit<autocannon.Options, 'duration'>

export interface Load {
  done: Promise<autocannon.Result>
  stop(): void
}

/** Starts autocannon; `done` resolves when the time is up or `stop()` is called. */
export function startLoad(options: LoadOptions, seconds: number): Load {
  let instance: autocannon.Instance | undefined
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({ ...options, duration: seconds }, (error, result) =>
      error ? reject(error) : resolve(result),
    )
  })
  return { done, stop: () => instance?.stop() }
}
