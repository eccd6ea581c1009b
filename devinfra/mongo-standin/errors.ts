/** An error answered to the client exactly as mongod would shape it. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

export const badValue = (message: string) => new CommandError(2, 'BadValue', message);
export const failedToParse = (message: string) => new CommandError(9, 'FailedToParse', message);
export const typeMismatch = (message: string) => new CommandError(14, 'TypeMismatch', message);
export const namespaceNotFound = (message = 'ns not found') => new CommandError(26, 'NamespaceNotFound', message);
export const illegalOperation = (message: string) => new CommandError(20, 'IllegalOperation', message);
export const commandNotFound = (name: string) => new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
export const immutableField = (message: string) => new CommandError(66, 'ImmutableField', message);
export const cursorNotFound = (id: string) => new CommandError(43, 'CursorNotFound', `cursor id ${id} not found`);
export const indexNotFound = (message: string) => new CommandError(27, 'IndexNotFound', message);
export const indexOptionsConflict = (message: string) => new CommandError(85, 'IndexOptionsConflict', message);

/** E11000, with the index's key pattern and the offending values, as mongod reports it. */
export class DuplicateKeyError extends CommandError {
  constructor(namespace: string, indexName: string, keyPattern: Record<string, unknown>, keyValue: Record<string, unknown>) {
    const shown = Object.entries(keyValue)
      .map(([field, value]) => `${field}: ${JSON.stringify(value)}`)
      .join(', ');
    super(11000, 'DuplicateKey', `E11000 duplicate key error collection: ${namespace} index: ${indexName} dup key: { ${shown} }`, {
      keyPattern,
      keyValue,
    });
  }
}
