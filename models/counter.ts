import { Schema, model } from 'mongoose';

const counterSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, default: 0 } }, { versionKey: false });
const CounterModel = model('Counter', counterSchema);

/** Allocates the next integer of a named sequence with one atomic upsert. */
export async function nextSequence(name: string): Promise<number> {
  const counter = await CounterModel.findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
  return counter!.seq;
}
