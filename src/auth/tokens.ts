import { jwtVerify, SignJWT } from 'jose'
import type { Config } from '../config/index.js'
import { parseId } from '../rules/ids.js'
import { isSessionId } from './session-ids.js'

export interface TokenSubject {
  userId: number
  /** The session the token was issued for (`sid`): the token works while the session lives. */
  sessionId: string
}

export interface TokenService {
  /** ACCESS_TOKEN_EXPIRE_MINUTES, in seconds: the token answer's `expires_in`. */
  lifetimeSeconds: number
  issue(subject: TokenSubject): Promise<string>
  verify(token: string): Promise<TokenSubject>
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError'
}

const CLOCK_TOLERANCE_SECONDS = 5

// Given raw bytes, jose imports a WebCrypto key on every sign and verify; a key imported once
// makes verifying a token take about half the CPU.
function importHmacKey(secret: string, algorithm: Config['algorithm']): Promise<CryptoKey> {
  const hash = `SHA-${algorithm.slice(2)}`
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash }, false, [
    'sign',
    'verify',
  ])
}

/** Access tokens: HMAC-signed JWTs whose `sub` is the user id and `sid` the session's id. */
export function createTokenService(config: Config): TokenService {
  const { algorithm, jwtIssuer, jwtAudience } = config
  const key = importHmacKey(config.secretKey.reveal(), algorithm)

  return {
    lifetimeSeconds: config.accessTokenExpireMinutes * 60,

    async issue({ userId, sessionId }) {
      return new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(jwtIssuer)
        .setAudience(jwtAudience)
        .setIssuedAt()
        .setExpirationTime(`${config.accessTokenExpireMinutes}m`)
        .sign(await key)
    },

    async verify(token) {
      try {
        const { payload, protectedHeader } = await jwtVerify(token, await key, {
          algorithms: [algorithm],
          issuer: jwtIssuer,
          audience: jwtAudience,
          requiredClaims: ['exp', 'iat', 'sub', 'sid'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          // Also refuses an `iat` in the future, and a token older than the lifetime tokens are
          // issued with, whatever `exp` it claims.
          maxTokenAge: config.accessTokenExpireMinutes * 60,
        })
        if (protectedHeader.typ !== undefined && protectedHeader.typ.toUpperCase() !== 'JWT') {
          throw new InvalidTokenError('typ is not JWT')
        }
        const userId = parseId(payload.sub ?? '')
        if (userId === undefined) throw new InvalidTokenError('sub is not a user id')
        if (typeof payload.sid !== 'string' || !isSessionId(payload.sid)) throw new InvalidTokenError('sid is not a session id')
        return { userId, sessionId: payload.sid }
      } catch (error) {
        // Whatever jose rejects (bad signature, alg, claims, encoding) is the client's token.
        throw new InvalidTokenError('invalid token', { cause: error })
      }
    },
  }
}
