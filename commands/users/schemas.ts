import { z } from 'zod';
import { isCommonPassword } from './commonPasswords';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwordRules';
import { isReservedUsername } from './reservedUsernames';

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, _ or -');
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'is too long')
  .pipe(z.email('is not a valid email address'));
/** A username an account takes (registration, rename): not one of the reserved names. */
export const newUsernameSchema = usernameSchema.refine((name) => !isReservedUsername(name), 'is reserved');
/** A new password (registration, change): 12-1024 characters and not on the common-password list. */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: `must be at least ${PASSWORD_MIN_LENGTH} characters`, abort: true })
  .max(PASSWORD_MAX_LENGTH, { message: `must be at most ${PASSWORD_MAX_LENGTH} characters`, abort: true })
  .refine((password) => !isCommonPassword(password), 'is too common');
/** A password as a login takes it: any length up to the maximum, so accounts made under older rules can log in. */
export const loginPasswordSchema = z.string().min(1, "can't be blank").max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
export const bioSchema = z.string().max(2000, 'is too long (at most 2000 characters)');
export const imageSchema = z
  .string()
  .trim()
  .max(2048, 'is too long')
  .refine((v) => v === '' || /^https?:\/\//i.test(v), 'must be an http(s) URL');
