/** jshttp's `fresh` (what Koa's `ctx.fresh` calls): whether a conditional GET's validators still match the response's. */
declare module 'fresh' {
  type Headers = Readonly<Record<string, string | string[] | number | undefined>>;
  /** `reqHeaders` as Node parsed them; `resHeaders` with lowercased names (`etag`, `last-modified`). */
  function fresh(reqHeaders: Headers, resHeaders: Headers): boolean;
  export = fresh;
}
