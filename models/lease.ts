import { Schema, model } from 'mongoose';

/** A named claim on a piece of work that lapses at `until`, so a crashed holder's work is taken over. */
const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false },
);

export const LeaseModel = model('Lease', leaseSchema);
