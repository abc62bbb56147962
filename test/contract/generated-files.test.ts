import { readFileSync } from 'node:fs'
import { describe, expect, inject, it } from 'vitest'
import { generateContract } from '../../openapi/generate.js'
import { CLIENT_TYPES_PATH, SPEC_PATH } from '../../openapi/paths.js'
import { initORM } from '../../src/db/orm.js'
import { createScratchDatabase } from '../../src/db/scratch-database.js'
import { onPostgres, testDatabase } from '../support/database.js'
import { apiOperations, operations, spec } from '../support/spec.js'

describe('generated and committed files', () => {
  it('openapi/openapi.json and client/schema.d.ts are what the code generates (run `npm run openapi`)', async () => {
    const { spec, types } = await generateContract()
    expect(readFileSync(SPEC_PATH, 'utf8')).toBe(spec)
    expect(readFileSync(CLIENT_TYPES_PATH, 'utf8')).toBe(types)
  })

  it(`the committed ${testDatabase} migrations build exactly the schema the entities describe (run \`npm run migration:create\`)`, async () => {
    // A database of its own: MikroORM's schema diff misreads a schema other than PostgreSQL's public.
    const database = onPostgres ? await createScratchDatabase(inject('postgresUrl'), 'blog_drift') : undefined
    const orm = await initORM(database?.url ?? 'sqlite::memory:')
    try {
      const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })
      expect(diff.trim()).toBe('')
      expect(await orm.getMigrator().checkMigrationNeeded()).toBe(false)
    } finally {
      await orm.close()
      await database?.drop()
    }
  })
})

describe('the spec', () => {
  it('declares the OAuth2 password flow that Swagger UI uses', () => {
    expect(spec.openapi).toBe('3.1.0')
    expect(spec.components.securitySchemes.OAuth2PasswordBearer).toEqual({
      type: 'oauth2',
      description: expect.any(String),
      flows: { password: { tokenUrl: '/api/users/token', scopes: {} } },
    })
  })

  it('gives every operation an id, a tag, a summary and, when secured, a 401; every API operation a 500 and a 503', () => {
    for (const op of operations) {
      expect(op.operationId, op.name).toMatch(/^[a-z][A-Za-z]+$/)
      expect(op.tags, op.name).toHaveLength(1)
      expect(op.summary, op.name).toBeTruthy()
      if (apiOperations.includes(op)) {
        expect(op.responses['500'], op.name).toBeDefined()
        expect(op.responses['503'], op.name).toBeDefined()
      }
      if (op.secured) expect(op.responses['401'], op.name).toBeDefined()
    }
  })
})
