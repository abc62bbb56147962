import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core'

/** Records every SQL statement the ORM sends, whatever the debug setting. */
export class QueryRecorder extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly statements: string[],
  ) {
    super(options)
  }

  override logQuery({ query }: LogContext): void {
    if (query) this.statements.push(query)
  }
}
