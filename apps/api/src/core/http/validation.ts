import { HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldRule } from '@fabomatic/contracts';
import { getMetadataStorage } from 'class-validator';
import { ApiError } from './api-error';

/** The limits of the rules that have one, from the decorator's arguments (`@Length(1, 100)`). */
const LIMITS: Readonly<Partial<Record<string, (args: readonly unknown[]) => Omit<FieldRule, 'rule'>>>> = {
  min: ([min]) => ({ min: Number(min) }),
  max: ([max]) => ({ max: Number(max) }),
  minLength: ([min]) => ({ min: Number(min) }),
  maxLength: ([max]) => ({ max: Number(max) }),
  isLength: ([min, max]) => ({ min: Number(min), ...(max === undefined ? {} : { max: Number(max) }) }),
  arrayMinSize: ([min]) => ({ min: Number(min) }),
  arrayMaxSize: ([max]) => ({ max: Number(max) }),
};

/** The rules a field broke, with their limits, for the SPA to state in the user's language. */
function rulesOf(error: ValidationError): FieldRule[] {
  const target = error.target?.constructor;
  const metadata = target
    ? getMetadataStorage()
        .getTargetValidationMetadatas(target, '', true, false)
        .filter((m) => m.propertyName === error.property)
    : [];
  return Object.keys(error.constraints ?? {}).map((rule) => {
    const limits = LIMITS[rule];
    const args = metadata.find((m) => (m.name ?? m.type) === rule)?.constraints;
    return limits && args ? { rule, ...limits(args) } : { rule };
  });
}

interface Collected {
  readonly fields: Record<string, string[]>;
  readonly rules: Record<string, FieldRule[]>;
}

function collect(errors: ValidationError[], prefix = '', out: Collected = { fields: {}, rules: {} }) {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      out.fields[path] = Object.values(error.constraints);
      out.rules[path] = rulesOf(error);
    }
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
    // The target (never sent to the client) finds the limits of the broken rules.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => {
      const { fields, rules } = collect(errors);
      return new ApiError(
        HttpStatus.BAD_REQUEST,
        'VALIDATION_FAILED',
        `invalid ${Object.keys(fields).join(', ')}`,
        fields,
        undefined,
        rules,
      );
    },
  });
}
