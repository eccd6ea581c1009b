import { z } from 'zod';

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
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(256, 'is too long');
export const bioSchema = z.string().max(2000, 'is too long (at most 2000 characters)');
export const imageSchema = z
  .string()
  .trim()
  .max(2048, 'is too long')
  .refine((v) => v === '' || /^https?:\/\//i.test(v), 'must be an http(s) URL');
