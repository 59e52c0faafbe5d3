// A schema provider rebuilt from its description (SchemaProvider.source): what a validation worker
// thread does with the providers of the main thread's KQL environment.
import { catalogProvider } from './catalog.ts';
import { listProvider, stackProviders, type ProviderSource, type SchemaProvider } from './provider.ts';

export function providerFromSource(source: ProviderSource): SchemaProvider {
  switch (source.kind) {
    case 'list':
      return listProvider(source.tables, source.functions);
    case 'catalog':
      return catalogProvider(source.texts);
    case 'stack':
      return stackProviders(...source.providers.map(providerFromSource));
  }
}
