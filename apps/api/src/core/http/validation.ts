import { HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

function collect(errors: ValidationError[], prefix = '', out: Record<string, string[]> = {}) {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) out[path] = Object.values(error.constraints);
    if (error.children?.length) collect(error.children, path, out);
  }
  return out;
}

/** Validates every body, query and param against its DTO; unknown fields are rejected. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fields = collect(errors);
      return new ApiError(
        HttpStatus.BAD_REQUEST,
        'VALIDATION_FAILED',
        `invalid ${Object.keys(fields).join(', ')}`,
        fields,
      );
    },
  });
}
