import { z } from 'zod';
import { bioSchema, emailSchema, imageSchema, loginPasswordSchema, newUsernameSchema, passwordSchema } from '../../commands/users/schemas';

export const registerSchema = z.object({
  user: z.object({ username: newUsernameSchema, email: emailSchema, password: passwordSchema }),
});

export const loginSchema = z.object({
  user: z.object({ email: emailSchema, password: loginPasswordSchema }),
});

export const updateUserSchema = z.object({
  user: z
    .object({
      email: emailSchema.optional(),
      username: newUsernameSchema.optional(),
      password: passwordSchema.optional(),
      bio: bioSchema.nullable().optional(),
      image: imageSchema.nullable().optional(),
    })
    .refine((user) => Object.values(user).some((v) => v !== undefined), 'must change at least one field'),
});
