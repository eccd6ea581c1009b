import mongoose from 'mongoose';

/** Connects the process-wide mongoose connection and builds every model's indexes before serving. */
export async function connectMongo(uri: string, options: { dbName?: string } = {}): Promise<typeof mongoose> {
  await mongoose.connect(uri, {
    dbName: options.dbName ?? databaseNameIn(uri) ?? 'inkwell',
    serverSelectionTimeoutMS: 5000,
    autoIndex: false,
  });
  await Promise.all(Object.values(mongoose.models).map((model) => model.createIndexes()));
  return mongoose;
}

export async function pingMongo(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
  await db.admin().command({ ping: 1 });
  return true;
}

function databaseNameIn(uri: string): string | undefined {
  const withoutScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const slash = withoutScheme.indexOf('/');
  if (slash < 0) return undefined;
  const name = withoutScheme.slice(slash + 1).split('?')[0];
  return name ? decodeURIComponent(name) : undefined;
}
