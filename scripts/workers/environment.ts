// The KQL environment's description as plain data (structured-cloneable), and the environment input
// rebuilt from it in a worker: the same repository tables, functions, watchlists and providers (each
// provider from its `source`), so a worker analyses exactly as the main thread would.
import type { FunctionSchema, ProviderSource } from '../core/catalog/provider.ts';
import { providerFromSource } from '../core/catalog/source.ts';
import type { KqlEnvironmentInput } from '../core/kql/symbols.ts';
import type { TableSchema, WatchlistSchema } from '../core/kql/types.ts';

export interface EnvironmentDescription {
  tables: readonly TableSchema[];
  watchlists: readonly WatchlistSchema[];
  functions?: readonly FunctionSchema[];
  providers: readonly ProviderSource[];
}

/** Undefined when a provider cannot be described (it has no `source`): then the KQL layer stays in one thread. */
export function describeEnvironment(input: KqlEnvironmentInput): EnvironmentDescription | undefined {
  const providers = input.providers ?? [];
  if (!providers.every((p) => p.source)) return undefined;
  return {
    tables: input.tables,
    watchlists: input.watchlists,
    ...(input.functions ? { functions: input.functions } : {}),
    providers: providers.map((p) => p.source!),
  };
}

export function environmentInput(description: EnvironmentDescription): KqlEnvironmentInput {
  return {
    tables: description.tables,
    watchlists: description.watchlists,
    ...(description.functions ? { functions: description.functions } : {}),
    providers: description.providers.map(providerFromSource),
  };
}
