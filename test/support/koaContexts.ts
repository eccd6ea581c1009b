import type Koa from 'koa';

/**
 * Counts the requests `app` hands to Koa: an answer given before Koa (server/http/cachedAnswers.ts,
 * signedInAnswers.ts) never creates a context. Returns the counter.
 */
export function countKoaContexts(app: Koa): () => number {
  let handled = 0;
  const createContext = app.createContext.bind(app);
  app.createContext = (req, res) => {
    handled += 1;
    return createContext(req, res);
  };
  return () => handled;
}
