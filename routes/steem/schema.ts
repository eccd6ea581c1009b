import { z } from 'zod';
import { ACCOUNT_NAME_MESSAGE, isValidSteemAccountName } from '../../domain/accounts';

const signatureHex = z.string().regex(/^[0-9a-fA-F]{130}$/, 'must be the hex of a 65-byte compact signature');
export const linkSchema = z
  .object({
    account: z.string().trim().toLowerCase().refine(isValidSteemAccountName, ACCOUNT_NAME_MESSAGE),
    challenge: z.string().min(1, "can't be blank").max(512),
    signature: signatureHex.optional(),
    signatures: z.array(signatureHex).min(1).max(40).optional(),
  })
  .refine((body) => (body.signature === undefined) !== (body.signatures === undefined), { message: 'give either signature or signatures', path: ['signature'] });
