/** Where the committed contract and the client types generated from it live. */
export const SPEC_PATH = 'openapi/openapi.json'
export const CLIENT_TYPES_PATH = 'client/schema.d.ts'
