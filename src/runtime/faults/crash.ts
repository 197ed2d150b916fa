/** What the crash faults share: the input shape that takes down a handler with a 500. */

/**
 * Throws as a query parser that yields an array for a repeated name (?a=1&a=2) does when its caller treats
 * the value as a string: an unexpected error, so the request answers 500.
 */
export function crashOnRepeatedName(query: URLSearchParams): void {
  const names = [...query.keys()];
  if (new Set(names).size !== names.length) throw new TypeError('value.trim is not a function');
}

/** Throws as a handler that looks up every query parameter in a table of its own (undefined for any other name) does. */
export function crashOnUnknownName(query: URLSearchParams, known: readonly string[]): void {
  for (const name of query.keys()) if (!known.includes(name)) throw new TypeError(`Cannot read properties of undefined (reading '${name.slice(0, 20)}')`);
}
