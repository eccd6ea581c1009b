import { appendFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response, Test } from 'supertest';
import { openApiDocument } from '../../routes/openapi/document';

/**
 * Every response a test receives from `startTestApi`'s agent is checked against the OpenAPI document
 * (`routes/openapi/document.ts`, what `GET /api/openapi.json` serves): the operation is found by
 * method and path template, the status must be one the operation documents, and a JSON body must
 * validate against that status's schema. Violations are collected and fail the test (an `afterEach`
 * registered by test/support/api.ts), so the document cannot drift from the API.
 *
 * A request no operation matches must be answered with the routers' fallbacks (404 or 405 with the
 * error body). HEAD and OPTIONS are not checked (Koa answers them for every GET route).
 * With OPENAPI_COVERAGE_FILE set, each checked `METHOD template status` is appended to that file.
 */

type Doc = ReturnType<typeof openApiDocument>;
type OperationEntry = { method: string; template: string; pattern: RegExp; literalLength: number };

/**
 * Operations whose responses are not checked yet, each with the reason. Empty: every response of the
 * suite validates. (Keep it short and explicit: an entry here is known drift.)
 */
export const VALIDATION_ALLOWLIST: ReadonlyMap<string, string> = new Map<string, string>([]);

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

class ResponseValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly operations: OperationEntry[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Doc) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...doc, $id: 'inkwell-openapi' });
    this.operations = Object.entries(doc.paths ?? {})
      .flatMap(([template, item]) =>
        Object.keys(item as object).map((method) => ({
          method,
          template,
          pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
          literalLength: template.replace(/\{[^}]+\}/g, '').length,
        })),
      )
      // A literal path (`/api/articles/feed`) wins over a template (`/api/articles/{slug}`).
      .sort((a, b) => b.literalLength - a.literalLength);
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.getSchema(ref);
      if (!validate) throw new Error(`cannot resolve ${ref}`);
      this.validators.set(ref, validate);
    }
    return validate;
  }

  /** Why the response violates the document, or undefined if it conforms. */
  check(method: string, url: string, res: Response): string | undefined {
    method = method.toLowerCase();
    if (method === 'head' || method === 'options') return undefined;
    const path = new URL(url, 'http://localhost').pathname;
    const label = `${method.toUpperCase()} ${path} → ${res.status}`;
    const operation = this.operations.find((op) => op.method === method && op.pattern.test(path));
    if (!operation) {
      // The site's pages, feeds and sitemap (routes/site) are outside /api, and outside the document.
      if (!path.startsWith('/api/') && !/json/.test(String(res.headers['content-type'] ?? ''))) return undefined;
      if (res.status !== 404 && res.status !== 405) return `${label}: no operation in the document matches`;
      return this.checkBody(label, '#/components/schemas/GenericErrorModel', res);
    }
    if (process.env.OPENAPI_COVERAGE_FILE) appendFileSync(process.env.OPENAPI_COVERAGE_FILE, `${method.toUpperCase()} ${operation.template} ${res.status}\n`);
    if (VALIDATION_ALLOWLIST.has(`${method.toUpperCase()} ${operation.template}`)) return undefined;
    const responses = (this.doc.paths![operation.template] as Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>)[method]!.responses;
    const documented = responses[String(res.status)];
    if (!documented) return `${label}: status ${res.status} is not documented for ${method.toUpperCase()} ${operation.template} (documented: ${Object.keys(responses).join(', ')})`;
    if (!documented.content) {
      return res.text ? `${label}: documented without a body, but answered ${JSON.stringify(res.text.slice(0, 200))}` : undefined;
    }
    if (!documented.content['application/json']) {
      const types = Object.keys(documented.content);
      return types.includes(res.type) ? undefined : `${label}: answered ${res.type}, documented ${types.join(' or ')}`;
    }
    return this.checkBody(label, `#/paths/${pointer(operation.template)}/${method}/responses/${res.status}/content/application~1json/schema`, res);
  }

  private checkBody(label: string, ref: string, res: Response): string | undefined {
    if (res.type !== 'application/json') return `${label}: answered ${res.type || 'no content type'}, documented application/json`;
    const validate = this.validator(`inkwell-openapi${ref}`);
    if (validate(res.body)) return undefined;
    return `${label}: body does not match ${ref}: ${this.ajv.errorsText(validate.errors)}\n  ${JSON.stringify(res.body).slice(0, 600)}`;
  }
}

let validator: ResponseValidator | undefined;
const violations: string[] = [];

export function responseValidator(): ResponseValidator {
  return (validator ??= new ResponseValidator(openApiDocument()));
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'del']);

/** Wraps a supertest agent so that every response it receives is checked (see above). */
export function validatingAgent<A extends object>(agent: A): A {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !METHODS.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const test = (value as (...a: unknown[]) => Test).apply(target, args);
        test.expect((res: Response) => {
          const violation = responseValidator().check(test.method, test.url, res);
          if (violation) violations.push(violation);
        });
        return test;
      };
    },
  });
}

/** The violations collected since the last call (and forgets them). */
export function takeViolations(): string[] {
  return violations.splice(0);
}
