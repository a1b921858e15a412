import type { INestApplication } from '@nestjs/common';
import { IntersectionType as mappedIntersection, PartialType as mappedPartial } from '@nestjs/mapped-types';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type * as Swagger from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';

/**
 * The OpenAPI document without loading @nestjs/swagger at start (~12 MB of RSS on a box whose idle
 * budget is 150 MB): DTOs and controllers use the decorators and type helpers below, which record
 * what they are given; the first request of /api/docs loads the package, replays every record with
 * the real decorators, in the order they were applied, and builds the document (docs/adr/0005-openapi-on-demand.md).
 */

type SwaggerModule = typeof Swagger;
type DecoratorName =
  | 'ApiBody'
  | 'ApiConsumes'
  | 'ApiExcludeController'
  | 'ApiProduces'
  | 'ApiProperty'
  | 'ApiPropertyOptional'
  | 'ApiTags';

type Replay = (swagger: SwaggerModule) => void;
const replays: Replay[] = [];

type AnyDecorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => void;

function recorded<N extends DecoratorName>(name: N): SwaggerModule[N] {
  const factory =
    (...args: unknown[]): AnyDecorator =>
    (target, key, descriptor) => {
      replays.push((swagger) => {
        const real = (swagger[name] as (...a: unknown[]) => AnyDecorator)(...args);
        real(target, key, descriptor);
      });
    };
  return factory;
}

export const ApiBody = recorded('ApiBody');
export const ApiConsumes = recorded('ApiConsumes');
export const ApiExcludeController = recorded('ApiExcludeController');
export const ApiProduces = recorded('ApiProduces');
export const ApiProperty = recorded('ApiProperty');
export const ApiPropertyOptional = recorded('ApiPropertyOptional');
export const ApiTags = recorded('ApiTags');

type Class = abstract new (...args: never[]) => object;

const prototypeOf = (classRef: Class): object => classRef.prototype as object;

/** The documented properties of a DTO class, once its decorators have been replayed. */
function documentedFields(swagger: SwaggerModule, classRef: Class): string[] {
  const keys = (Reflect.getMetadata(swagger.DECORATORS.API_MODEL_PROPERTIES_ARRAY, prototypeOf(classRef)) ??
    []) as string[];
  return [...new Set(keys.map((key) => key.replace(/^:/, '')))];
}

function copyFields(swagger: SwaggerModule, from: Class, to: Class, overrides: object = {}): void {
  for (const key of documentedFields(swagger, from)) {
    const metadata = (Reflect.getMetadata(swagger.DECORATORS.API_MODEL_PROPERTIES, prototypeOf(from), key) ??
      {}) as Swagger.ApiPropertyOptions;
    swagger.ApiProperty({ ...metadata, ...overrides })(prototypeOf(to), key);
  }
}

/** @nestjs/swagger's PartialType: validation from @nestjs/mapped-types now, documentation on replay. */
export const PartialType: SwaggerModule['PartialType'] = ((
  classRef: Class,
  options?: { skipNullProperties?: boolean },
) => {
  const partial = (mappedPartial as (ref: never, opts?: object) => unknown)(
    classRef as never,
    options,
  ) as Class;
  replays.push((swagger) => copyFields(swagger, classRef, partial, { required: false }));
  return partial;
}) as unknown as SwaggerModule['PartialType'];

/** @nestjs/swagger's IntersectionType, likewise. */
export const IntersectionType: SwaggerModule['IntersectionType'] = ((...classRefs: Class[]) => {
  const intersection = (mappedIntersection as (...refs: never[]) => unknown)(
    ...(classRefs as never[]),
  ) as Class;
  replays.push((swagger) => classRefs.forEach((classRef) => copyFields(swagger, classRef, intersection)));
  return intersection;
}) as unknown as SwaggerModule['IntersectionType'];

/** Loads @nestjs/swagger and applies what the decorators recorded (once). */
async function loadSwagger(): Promise<SwaggerModule> {
  const swagger = await import('@nestjs/swagger');
  for (const replay of replays.splice(0)) replay(swagger);
  return swagger;
}

type Handler = (req: Request, res: Response, next: NextFunction) => void;

export interface OpenApiInfo {
  readonly title: string;
  readonly description: string;
  readonly cookie: string;
}

/**
 * Serves the Swagger UI at /api/docs and the document at /api/docs-json and /api/docs-yaml, all
 * loaded on their first request: a small express app of their own, set up by SwaggerModule, behind
 * one middleware registered now (before the app's not-found handling).
 */
export function serveOpenApiOnDemand(app: NestExpressApplication, info: OpenApiInfo): void {
  let docs: Promise<Handler> | undefined;
  const load = async () => {
    const swagger = await loadSwagger();
    const adapter = new ExpressAdapter();
    const host = {
      getHttpAdapter: () => adapter,
      useStaticAssets: (path: string, options: object): void => {
        adapter.useStaticAssets(path, options);
      },
    };
    const options = new swagger.DocumentBuilder()
      .setTitle(info.title)
      .setDescription(info.description)
      .addCookieAuth(info.cookie)
      .build();
    swagger.SwaggerModule.setup('api/docs', host as unknown as INestApplication, () =>
      swagger.SwaggerModule.createDocument(app, options),
    );
    return adapter.getInstance<Handler>();
  };
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!/^\/api\/docs(?:$|[-/])/.test(req.path)) {
      next();
      return;
    }
    docs ??= load();
    docs.then(
      (handle) => handle(req, res, next),
      (error: unknown) => next(error),
    );
  });
}
