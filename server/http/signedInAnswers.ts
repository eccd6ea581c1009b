import type { IncomingMessage, ServerResponse } from 'node:http';
import { Types } from 'mongoose';
import { mutesAnyone, readerMarks } from '../../commands/articles/readerMarks';
import { loadViewer } from '../../commands/users/viewer';
import { sessionIsCurrent } from '../../lib/auth/sessions';
import { tokenOfAuthorization, type TokenService } from '../../lib/auth/tokens';
import { answerForViewer } from '../../routes/presenters/viewerSlots';
import { JSON_TYPE, type ReadCache } from '../readCache';
import { clientAddress, type ProxySettings } from './clientAddress';
import { simpleRequestCorsHeaders, type CorsSettings } from './cors';
import { readerKeyOf, readKeyOf, requestIdOf } from './earlyRequest';
import { API_SECURITY_HEADERS } from './securityHeaders';

export interface SignedInAnswerParts {
  readCache: ReadCache;
  tokens: Pick<TokenService, 'verifySession'>;
  cors: CorsSettings;
  proxy: ProxySettings;
  /** The per-IP request limit (`RateLimits.countRead`); absent when limits are off. */
  countRead?: (ip: string) => Promise<boolean>;
}

/** The memo key of a reader's session state and whether they mute anyone; their marks are kept by article id. */
const READER_STATE = 'state';
/** Estimates of what a remembered value holds: a user document and a flag; one article's marks. */
const READER_STATE_BYTES = 2048;
const MARKS_BYTES = 96;

/** Answered by Koa instead. */
const NOT_ANSWERED = false;

/**
 * Answers a signed-in reader's GET of an article list, an article or their feed whose shared answer
 * the read cache holds (the feed's kept for them alone), before Koa: the same steps as the articles
 * router's shared read (docs/architecture.md, "Shared answers") without the middleware chain around them. The token is checked as `authenticate`
 * checks it and the session against the stored user; the reader's favorites and follows are looked up
 * for the page (`readerMarks`) and written into the shared bytes. The headers are Koa's for the same
 * answer (security headers, `Cache-Control: no-store` for a request with credentials, CORS, request
 * id), compared header by header in test/server/signedInAnswers.test.ts. Anything else goes on to
 * Koa: a missing or bad token (answered 401 there), a reader who mutes someone (their lists are their
 * own), an answer not cached, an address over its limit. The limit is counted once the answer is
 * known to be given here, so no request is counted twice.
 */
export function signedInAnswers({ readCache, tokens, cors, proxy, countRead }: SignedInAnswerParts): (req: IncomingMessage, res: ServerResponse) => false | Promise<boolean> {
  const corsFor = simpleRequestCorsHeaders(cors);
  const write = (req: IncomingMessage, res: ServerResponse, body: Buffer): true => {
    const headers: string[] = ['X-Request-Id', requestIdOf(req)];
    for (const [name, value] of API_SECURITY_HEADERS) headers.push(name, value);
    headers.push('Cache-Control', 'no-store');
    for (const [name, value] of corsFor(req.headers.origin)) headers.push(name, value);
    headers.push('Content-Type', JSON_TYPE, 'Content-Length', String(body.byteLength));
    res.writeHead(200, headers);
    res.end(body);
    return true;
  };
  return (req, res) => {
    const header = req.headers.authorization;
    if (req.method !== 'GET' || header === undefined) return NOT_ANSWERED;
    const token = tokenOfAuthorization(header);
    const session = token === undefined ? null : tokens.verifySession(token);
    if (!session || !Types.ObjectId.isValid(session.subject)) return NOT_ANSWERED;
    const key = readKeyOf(readCache, req) ?? readerKeyOf(readCache, req, session.subject);
    const shared = key === undefined ? undefined : readCache.cachedShared(key);
    if (!shared) return NOT_ANSWERED;
    return (async () => {
      // Looked up together (one wait, not three), or remembered from this reader's reads in the last moment
      // (ReaderMemo); the marks are used only once the session proves current.
      const reader = new Types.ObjectId(session.subject);
      const [{ viewer, mutes }, marks] = await Promise.all([
        readCache.readers.remember(session.subject, READER_STATE, async () => {
          const [viewer, mutes] = await Promise.all([loadViewer(session.subject), mutesAnyone(reader)]);
          return { viewer, mutes };
        }, () => READER_STATE_BYTES),
        readCache.readers.rememberEach(session.subject, shared.articles.map((article) => article.id), (missing) => {
          const wanted = new Set(missing);
          return readerMarks(reader, shared.articles.filter((article) => wanted.has(article.id)));
        }, () => MARKS_BYTES),
      ]);
      if (!viewer || !sessionIsCurrent(viewer, session) || mutes) return NOT_ANSWERED;
      if (countRead && !(await countRead(clientAddress(req, proxy)))) return NOT_ANSWERED;
      return write(req, res, answerForViewer(shared, marks));
    })().catch(() => NOT_ANSWERED); // a failed lookup (the database away): Koa's path answers it, with the error shape
  };
}
