/** The health routes take no input: no path parameters, query or body to validate. */
export {};
