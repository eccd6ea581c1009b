import { Schema, model } from 'mongoose';

/** A data migration that has run to completion on this database (its steps are idempotent, so a rerun is harmless). */
const migrationSchema = new Schema({ _id: { type: String, required: true }, appliedAt: { type: Date, required: true } }, { versionKey: false });

export const MigrationModel = model('Migration', migrationSchema);
