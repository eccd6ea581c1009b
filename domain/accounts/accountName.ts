/**
 * Steem account names, by steemd's own rule (`is_valid_account_name`, libraries/protocol/authority.cpp,
 * with STEEM_MIN/MAX_ACCOUNT_NAME_LENGTH from protocol/config.hpp). The configuration, the routes, the
 * chain client and the devnet all use this one rule, so Inkwell accepts exactly the names the chain does.
 *
 * A name is 3 to 16 characters, made of labels separated by single dots; each label is at least 3
 * characters, starts with a lowercase letter, ends with a lowercase letter or a digit, and has only
 * lowercase letters, digits and hyphens in between.
 */

export const MIN_ACCOUNT_NAME_LENGTH = 3;
export const MAX_ACCOUNT_NAME_LENGTH = 16;
const MIN_LABEL_LENGTH = 3;

/** The message the API and the configuration give for a name the rule refuses. */
export const ACCOUNT_NAME_MESSAGE = 'must be a Steem account name';

const LABEL = /^[a-z][a-z0-9-]*[a-z0-9]$/;

export function isValidSteemAccountName(name: unknown): name is string {
  if (typeof name !== 'string') return false;
  // steemd counts bytes; a non-ASCII character fails the label rule anyway, so characters suffice.
  if (name.length < MIN_ACCOUNT_NAME_LENGTH || name.length > MAX_ACCOUNT_NAME_LENGTH) return false;
  return name.split('.').every((label) => label.length >= MIN_LABEL_LENGTH && LABEL.test(label));
}
