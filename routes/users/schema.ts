import { z } from 'zod';
import { bioSchema, emailSchema, imageSchema, passwordSchema, usernameSchema } from '../../commands/users/schemas';

export const registerSchema = z.object({
  user: z.object({ username: usernameSchema, email: emailSchema, password: passwordSchema }),
});

export const loginSchema = z.object({
  user: z.object({ email: emailSchema, password: z.string().min(1, "can't be blank").max(256) }),
});

export const updateUserSchema = z.object({
  user: z
    .object({
      email: emailSchema.optional(),
      username: usernameSchema.optional(),
      password: passwordSchema.optional(),
      bio: bioSchema.nullable().optional(),
      image: imageSchema.nullable().optional(),
    })
    .refine((user) => Object.values(user).some((v) => v !== undefined), 'must change at least one field'),
});
