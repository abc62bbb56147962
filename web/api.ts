import { createApiClient } from '../client/index.js'
import { getToken, removeToken } from './token.js'

/** The one API client of the site. A token the API rejects is dropped: the visitor is signed out. */
export const api = createApiClient({ baseUrl: window.location.origin, getToken, onUnauthorized: removeToken })
