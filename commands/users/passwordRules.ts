/** A new password (registration, change) has this many characters at least and at most. */
export const PASSWORD_MIN_LENGTH = 12;
/** Also the longest password a login accepts, so accounts made under older rules can still log in. */
export const PASSWORD_MAX_LENGTH = 1024;
