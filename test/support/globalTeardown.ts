import type { ResolvedDatabase } from '../../server/database';

export default async function globalTeardown(): Promise<void> {
  const database = (globalThis as { __inkwellDatabase?: ResolvedDatabase }).__inkwellDatabase;
  if (database) {
    console.log(`database backend for this test run: ${database.label}`);
    await database.stop();
  }
}
