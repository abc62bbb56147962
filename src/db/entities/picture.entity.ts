import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { PICTURE_NAME_LENGTH } from '../../rules/pictures.js'
import { User } from './user.entity.js'

/**
 * A profile picture, stored in the database so that every instance serves it. A user has at most
 * one (the unique index decides when two uploads race); deleting the user deletes it.
 */
export const Picture = defineEntity({
  name: 'Picture',
  tableName: 'pictures',
  properties: (p) => ({
    name: p.string().primary().length(PICTURE_NAME_LENGTH),
    owner: p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    // Lazy: only serving a picture reads its bytes.
    bytes: p.blob().lazy(true, false),
    contentType: p.string().length(50),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  uniques: [{ name: 'pictures_user_id_unique', properties: ['owner'] }],
})

export type Picture = InferEntity<typeof Picture>
