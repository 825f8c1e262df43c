/**
 * One root error class with a subclass per domain. Each says what went wrong, where
 * (file, line, record, field) and, in the message, what to do about it.
 */
export interface ErrorSource {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly index?: number;
}

export class AppError extends Error {
  readonly source?: ErrorSource;
  constructor(message: string, options: { source?: ErrorSource; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.source = options.source;
  }
}

export class UsageError extends AppError {}
export class ConfigError extends AppError {}
export class SourceError extends AppError {}
export class ProviderError extends AppError {}
export class StoreError extends AppError {}
