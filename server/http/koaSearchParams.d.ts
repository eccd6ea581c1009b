/** Koa's own query-string parser (what `ctx.query` returns), used to read a query the way Koa would. */
declare module 'koa/lib/search-params' {
  import type { ParsedUrlQuery } from 'node:querystring';
  export function parse(query: string): ParsedUrlQuery;
}
