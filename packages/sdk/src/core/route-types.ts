import type { PageOf, RouteSpec } from '@fleetops/protocol';
import type { z } from 'zod';

type InputOf<S> = S extends z.ZodType ? z.input<S> : never;

/** What a route answers with, as parsed by its response schema. */
export type RouteResponse<R extends RouteSpec> = z.output<R['response']>;

/** The item type of a list route. */
export type RoutePageItem<R extends RouteSpec> = RouteResponse<R> extends PageOf<infer Item> ? Item : never;

/** The request body a route accepts, before the server applies its defaults. */
export type RouteBody<R extends RouteSpec> = InputOf<R['body']>;

/**
 * The query a route accepts. `limit` is coerced from text on the server, so its schema input
 * is `unknown`; callers pass a number.
 */
export type RouteQuery<R extends RouteSpec> = Omit<InputOf<R['query']>, 'limit'> & { limit?: number };
