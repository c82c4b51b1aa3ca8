import type { z } from 'zod';
import { ValidationError, type FieldError } from './errors';

/** zod issues as `{ path, message }` with dotted paths (`people.0.ref`), for problem+json `errors`. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error), `The ${what} is not valid.`);
  return parsed.data;
}
