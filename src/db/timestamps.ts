import { PostgreSqlDriver } from '@mikro-orm/postgresql'
import type { EntityManager } from './orm.js'

export const isPostgres = (em: EntityManager): boolean => em.getDriver() instanceof PostgreSqlDriver

/** A date as hand-written SQL passes it: MikroORM keeps SQLite datetimes as milliseconds since the epoch. */
export const sqlTimestamp = (em: EntityManager, date: Date): Date | number => (isPostgres(em) ? date : date.getTime())

/** A datetime column's value as either database returns it to hand-written SQL. */
export const fromSqlTimestamp = (value: unknown): Date => new Date(value as Date | number | string)
