import type { LogLevel } from '../../src/config/index.js'
import { createLog, type Log } from '../../src/http/logger.js'

export type LogEntry = Record<string, unknown>

/** The service's own logger (format, levels, redaction), handing each line it writes to `take`, parsed. */
export function logTo(take: (entry: LogEntry) => unknown, level: LogLevel = 'info'): Log {
  return createLog(level, { write: (line: string) => void take(JSON.parse(line) as LogEntry) })
}
