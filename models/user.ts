import { Schema, model, type HydratedDocument, type InferSchemaType } from 'mongoose';

const userSchema = new Schema(
  {
    username: { type: String, required: true },
    /** Lowercased username: usernames are unique without regard to case. */
    usernameKey: { type: String, required: true, unique: true },
    email: { type: String, required: true, unique: true },
    /** scrypt hash; never selected unless asked for (`.select('+passwordHash')`), so it cannot reach an answer or a log. */
    passwordHash: { type: String, required: true, select: false },
    /** Roles granted by an operator (`npm run admin -- grant <username>`); `admin` opens `/api/admin/*`. */
    roles: { type: [String], default: [] },
    /**
     * Session state: tokens carry the epoch they were issued in, and a password change moves it on,
     * ending every earlier token; a logout lists its token's id here until the token would expire.
     */
    sessionEpoch: { type: Number, default: 0 },
    revokedSessions: { type: [{ _id: false, jti: { type: String, required: true }, exp: { type: Number, required: true } }], default: [] },
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
    /** Manabars in VESTS satoshis (decimal strings) and unix seconds; null until the first vote. */
    votingMana: { current: { type: String, default: null }, lastUpdate: { type: Number, default: 0 } },
    downvoteMana: { current: { type: String, default: null }, lastUpdate: { type: Number, default: 0 } },
    lastVoteTime: { type: Number, default: null },
    /**
     * The user's own base-stake bars, set aside while a Steem account is linked (the bars above are then
     * the account's) and put back on unlink; null when never set aside (a full bar).
     */
    baseMana: { type: Schema.Types.Mixed, default: null },
    /** `stakeaccounts.seq` of the linked account when it was linked (its bars came from that write). */
    stakeAccountSeq: { type: Number, default: null },
    /** The last unlink of this user: the account and when (the relink cooldown runs from here). */
    steemUnlinkedAccount: { type: String, default: null },
    steemUnlinkedAt: { type: Date, default: null },
    /** Compare-and-set version of the voter state; a vote commits by moving it on. */
    voteSeq: { type: Number, default: 0 },
    /** A vote decided and charged but not yet fully applied (rolled forward by the next vote). */
    pendingVote: { type: Schema.Types.Mixed, default: null },
    /** Raw Steem-style reputation (decimal string) and the votes already counted in it. */
    reputation: { type: String, default: '0' },
    reputationSeq: { type: Number, default: 0 },
    reputationOps: { type: [String], default: [] },
  },
  { timestamps: true },
);
userSchema.index({ steemAccount: 1 }, { unique: true, partialFilterExpression: { steemAccount: { $type: 'string' } } });
userSchema.index({ 'pendingVote.votedAt': 1 }, { sparse: true });

export type User = InferSchemaType<typeof userSchema>;
export type UserDocument = HydratedDocument<User>;
export const UserModel = model('User', userSchema);
