/** Node's own message for `JSON.parse(text)`, which our "not valid JSON (…)" messages quote. */
export function jsonParseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`jsonParseError: ${JSON.stringify(text)} is valid JSON`);
}
