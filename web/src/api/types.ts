/**
 * The API's shapes as the server declares them: derived from schema.d.ts, which `npm run api:types` generates from
 * the OpenAPI document (never edit it by hand). Screens name what they use, e.g.
 *   type Conversation = ApiOk<'/api/v1/conversations/{id}', 'get'>;
 *   type NewQueue = ApiBody<'/api/v1/queues', 'post'>;
 * test/api-contract.test.ts fails when schema.d.ts is out of date with the server.
 */
import type { components, paths } from './schema';

export type ApiPath = keyof paths;
type Op<P extends ApiPath, M extends keyof paths[P]> = paths[P][M];
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Responses<P extends ApiPath, M extends keyof paths[P]> = Op<P, M> extends { responses: infer R } ? R : never;
type SuccessCode = 200 | 201 | 202;

/** The JSON body of the operation's success answer (200, 201 or 202). */
export type ApiOk<P extends ApiPath, M extends keyof paths[P]> = {
  [C in SuccessCode]: C extends keyof Responses<P, M> ? Json<Responses<P, M>[C]> : never;
}[SuccessCode];

/** The JSON request body of the operation. */
export type ApiBody<P extends ApiPath, M extends keyof paths[P]> = Op<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The query parameters of the operation. */
export type ApiQuery<P extends ApiPath, M extends keyof paths[P]> = Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** Every error answer: `{ error: { code, message, field?, detail?, … } }`. */
export type ApiErrorBody = components['schemas']['ApiError'];

/** One element of an array type, e.g. `Item<ApiOk<'/api/v1/queues', 'get'>['items']>`. */
export type Item<A> = A extends readonly (infer T)[] ? T : never;
