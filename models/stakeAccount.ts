import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * The voting state of a Steem account as Inkwell keeps it, by account name: mana belongs to the
 * account, not to the Inkwell user it is linked to. While the account is linked, the linked user's
 * document holds its bars (the vote path charges them there, in its one guarded update); an unlink
 * writes them here before it frees the account, and the next link, by whichever user, starts from
 * them. `seq` moves with every write, so a link can tell that the account changed hands meanwhile.
 */
const stakeAccountSchema = new Schema(
  {
    /** The Steem account name. */
    _id: { type: String, required: true },
    /** Manabars in VESTS satoshis (decimal strings) and unix seconds, as the account's last user left them. */
    votingMana: { current: { type: String, default: null }, lastUpdate: { type: Number, default: 0 } },
    downvoteMana: { current: { type: String, default: null }, lastUpdate: { type: Number, default: 0 } },
    lastVoteTime: { type: Number, default: null },
    /** When and by whom the account was last unlinked (the relink cooldown runs from here). */
    unlinkedAt: { type: Date, default: null },
    unlinkedBy: { type: Schema.Types.ObjectId, default: null },
    /** The user and their voteSeq whose bars these are: a stale write never replaces a later one. */
    fromVoteSeq: { type: Number, default: 0 },
    seq: { type: Number, default: 0 },
  },
  { timestamps: true },
);

export type StakeAccount = InferSchemaType<typeof stakeAccountSchema>;
export const StakeAccountModel = model('StakeAccount', stakeAccountSchema);
