// Reading untyped values defensively (YAML, JSON from disk or the service): a field with the wrong
// shape reads as absent. Validation layers rely on it to keep running past problems the schema layer
// has already reported.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}
