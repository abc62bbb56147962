import { useFastApiMessages } from '../../src/http/validation.js'

// The server makes this call once at start-up; every test file runs in a fresh module graph.
useFastApiMessages()
