import type { Types } from 'mongoose';
import type { User } from '../../models/user';

/** The signed-in user a request acts for: the user record without its password hash and reputation log. */
export type Viewer = Omit<User, 'reputationOps' | 'passwordHash'> & { _id: Types.ObjectId };
