import * as admin from './admin';
import * as crud from './crud';
import type { CommandHandler } from './context';

/** Every command the stand-in answers; anything else is CommandNotFound (code 59), as mongod says. */
export const COMMANDS: Record<string, CommandHandler> = {
  hello: admin.hello,
  ismaster: admin.hello,
  isMaster: admin.hello,
  buildInfo: admin.buildInfo,
  buildinfo: admin.buildInfo,
  ping: admin.ok,
  endSessions: admin.ok,
  killSessions: admin.ok,
  killAllSessions: admin.ok,
  getParameter: admin.getParameter,
  create: admin.create,
  drop: admin.drop,
  dropDatabase: admin.dropDatabase,
  listCollections: admin.listCollections,
  listDatabases: admin.listDatabases,
  createIndexes: admin.createIndexes,
  listIndexes: admin.listIndexes,
  dropIndexes: admin.dropIndexes,
  deleteIndexes: admin.dropIndexes,
  explain: admin.explain,
  find: crud.find,
  getMore: crud.getMore,
  killCursors: crud.killCursors,
  insert: crud.insert,
  update: crud.update,
  delete: crud.remove,
  findAndModify: crud.findAndModify,
  findandmodify: crud.findAndModify,
  count: crud.count,
  distinct: crud.distinct,
  aggregate: crud.aggregate,
};
