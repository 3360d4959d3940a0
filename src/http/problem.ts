/**
 * Errors as RFC 9457 problem details (`application/problem+json`). One table maps each stable
 * error code to its HTTP status and title; unknown errors become a generic 500 and their detail
 * goes only to the log.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type AppErrorCode } from '../platform/errors.ts';

/** The problem `type` URI of an error code (stable: clients may switch on it). */
export function problemType(code: ProblemCode): string {
  return `/problems/${code.replaceAll('_', '-')}`;
}

/** Codes the HTTP layer can answer with. */
export type ProblemCode = AppErrorCode | 'invalid_json' | 'method_not_allowed' | 'internal_error';

const PROBLEMS: Record<ProblemCode, { status: number; title: string }> = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The request body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'You are not allowed to do this' },
  step_up_required: { status: 403, title: 'Confirm it is you with your second factor' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  gone: { status: 410, title: 'The data no longer exists' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
};

/** One field-level validation message. */
export type InvalidParam = { location: string; pointer: string; message: string };

/** The body of a problem response. */
export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: InvalidParam[];
} & Record<string, unknown>;

/** Builds a problem body for a code. */
export function problem(
  code: ProblemCode,
  detail: string,
  request: FastifyRequest,
  extra: Record<string, unknown> = {},
): ProblemBody {
  const { status, title } = PROBLEMS[code];
  return {
    ...extra,
    type: problemType(code),
    title,
    status,
    detail,
    instance: request.url.split('?')[0] ?? '/',
    requestId: request.id,
  };
}

/** Sends a problem response. */
export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.status(body.status).type('application/problem+json; charset=utf-8').send(body);
}

function describeValidation(error: FastifyError): InvalidParam[] {
  const location = error.validationContext ?? 'body';
  const described = (error.validation ?? []).flatMap((issue) => {
    const params = issue.params as
      | { additionalProperties?: string[]; additionalProperty?: string; requiredProperties?: string[] }
      | undefined;
    const extraField = params?.additionalProperty ?? params?.additionalProperties?.[0];
    const base = issue.instancePath === '/' ? '' : issue.instancePath;
    // Point at each missing field itself, so a form can mark it.
    if (issue.keyword === 'required' && params?.requiredProperties?.length) {
      return params.requiredProperties.map((field) => ({
        location,
        pointer: `${base}/${field}`,
        message: 'is required',
        unknown: false,
      }));
    }
    if (issue.keyword === 'additionalProperties' && extraField !== undefined) {
      return {
        location,
        pointer: `${base}/${extraField}`,
        message: `Unknown field "${extraField}" is not allowed.`,
        unknown: true,
      };
    }
    return {
      location,
      pointer: issue.instancePath || '/',
      message: issue.message ?? 'is not valid',
      unknown: false,
    };
  });
  // The validator also reports an unknown field as "schema is false" at its own path; one
  // message per field is enough.
  const unknownFields = new Set(described.filter((item) => item.unknown).map((item) => item.pointer));
  return described
    .filter((item) => item.unknown || !unknownFields.has(item.pointer))
    .map(({ location: where, pointer, message }) => ({ location: where, pointer, message }));
}

/** Maps Fastify's own error codes (body parsing, limits) to problem codes. */
function classifyFrameworkError(error: FastifyError): { code: ProblemCode; detail: string } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', detail: 'The request body exceeds the size limit.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', detail: 'Send the request body as application/json.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'invalid_json', detail: 'The request body is empty but JSON was declared.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'invalid_json', detail: 'The request body could not be parsed as JSON.' };
    default:
      break;
  }
  if (error instanceof SyntaxError || (error as { statusCode?: number }).statusCode === 400) {
    return { code: 'invalid_json', detail: 'The request body could not be parsed as JSON.' };
  }
  return null;
}

/** Fastify error handler: every error leaves as problem+json. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    return sendProblem(reply, problem(error.code, error.message, request, error.details ?? {}));
  }
  if (error.validation) {
    const errors = describeValidation(error);
    return sendProblem(
      reply,
      problem('validation_failed', 'One or more fields are invalid; see errors.', request, { errors }),
    );
  }
  const known = classifyFrameworkError(error);
  if (known) return sendProblem(reply, problem(known.code, known.detail, request));
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(
    reply,
    problem(
      'internal_error',
      'Something went wrong on our side. Quote the request id when reporting it.',
      request,
    ),
  );
}
