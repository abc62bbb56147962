/**
 * A stored picture's name: 128 random bits in hex and the extension of its one format. The
 * entity sizes its column by it, the route's parameter is checked against it.
 */
export const PICTURE_NAME = /^[0-9a-f]{32}\.webp$/

export const PICTURE_NAME_LENGTH = 37
