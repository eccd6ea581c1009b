import { Schema, model, type HydratedDocument, type InferSchemaType } from 'mongoose';

const userSchema = new Schema(
  {
    username: { type: String, required: true },
    /** Lowercased username: usernames are unique without regard to case. */
    usernameKey: { type: String, required: true, unique: true },
    email: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    bio: { type: String, default: '' },
    image: { type: String, default: '' },
    /** Linked Steem account (payout address and stake source); null until linked. */
    steemAccount: { type: String, default: null },
    /** Effective vesting shares read from chain for the linked account, in VESTS satoshis (decimal string). */
    stakeVests: { type: String, default: null },
    stakeRefreshedAt: { type: Date, default: null },
    /** Notifications up to and including this point have been read (server-side cursor). */
    notificationsReadAt: { type: Date, default: null },
    notificationsReadId: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true },
);
userSchema.index({ steemAccount: 1 }, { unique: true, partialFilterExpression: { steemAccount: { $type: 'string' } } });

export type User = InferSchemaType<typeof userSchema>;
export type UserDocument = HydratedDocument<User>;
export const UserModel = model('User', userSchema);
