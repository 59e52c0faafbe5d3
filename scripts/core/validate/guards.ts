// Cross-field checks run even when the schema layer found problems elsewhere in the file, so they
// read the raw YAML value defensively: a field with the wrong shape is simply skipped here (the schema
// layer has already reported it).

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
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
