/**
 * Names no account may take (at registration or by renaming): they would pass for the platform, its
 * staff or its system. Compared without regard to case and ignoring `_` and `-`, so `Ad_Min` and
 * `SUPPORT-` are refused too; a name that starts with `inkwell` or `admin` is refused as well.
 * Accounts that already had such a name keep it.
 */
export const RESERVED_USERNAMES: readonly string[] = [
  'admin', 'administrator', 'admins', 'root', 'superuser', 'sysadmin', 'system', 'sys', 'operator',
  'inkwell', 'support', 'help', 'helpdesk', 'info', 'contact', 'feedback', 'abuse', 'security', 'moderator', 'moderators',
  'mod', 'mods', 'staff', 'team', 'official', 'owner', 'webmaster', 'postmaster', 'hostmaster', 'noreply', 'no-reply',
  'api', 'www', 'mail', 'email', 'billing', 'payments', 'payouts', 'treasury', 'wallet', 'rewards', 'steem', 'steemit',
  'null', 'undefined', 'nil', 'none', 'anonymous', 'guest', 'unknown', 'deleted', 'everyone', 'here', 'me', 'user', 'users',
  'login', 'logout', 'register', 'signup', 'signin', 'settings', 'profile', 'profiles', 'auth', 'oauth', 'status', 'bot',
];

const reserved = new Set(RESERVED_USERNAMES.map(keyOf));
const RESERVED_PREFIXES = ['inkwell', 'admin'];

function keyOf(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

export function isReservedUsername(name: string): boolean {
  const key = keyOf(name);
  return reserved.has(key) || RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix));
}
