// A provider rebuilt from its `source` (what a validation worker does) answers as the original: the
// catalog, lists and stacks of them, after a structured clone of the source (the worker's copy).
import { describe, expect, it } from 'vitest';
import { catalogProvider } from '../../../scripts/core/catalog/catalog.ts';
import { listProvider, stackProviders, type SchemaProvider } from '../../../scripts/core/catalog/provider.ts';
import { providerFromSource } from '../../../scripts/core/catalog/source.ts';

const texts = {
  tables: 'Alpha\tTimeGenerated:t Count:l\nDeviceThing\tTimeGenerated:t Flag:s\n',
  functions:
    'schema\tDns\tDnsQuery:s EventCount:i\nfunction\t_Im_Dns\tDns\t(starttime:datetime=datetime(null))\t+named\nfunction\tOktaSSO\t-\t-\n',
  overlay: 'DeviceThing Flag:bool # the docs say string; it is bool\n',
};
const own = listProvider(
  [{ name: 'Alpha', columns: [{ name: 'Mine', type: 'string' }] }],
  [{ name: 'MyParser', origin: 'schemas/functions/MyParser.yaml', body: 'Alpha | take 1' }],
);

function answers(p: SchemaProvider): unknown {
  return {
    tables: p.tableNames().map((n) => p.table(n)),
    functions: p.functionNames().map((n) => p.function(n)),
    unknown: [p.table('Nope'), p.function('Nope')],
  };
}

describe('provider sources', () => {
  it.each([
    ['the catalog', catalogProvider(texts)],
    ['a list', own],
    ['a stack (the first that knows a name answers)', stackProviders(own, catalogProvider(texts))],
  ])('%s rebuilt from a copy of its source answers the same', (_, provider) => {
    expect(provider.source).toBeDefined();
    const rebuilt = providerFromSource(structuredClone(provider.source!));
    expect(answers(rebuilt)).toEqual(answers(provider));
    expect(rebuilt.source).toEqual(provider.source);
  });

  it('a stack with a provider that has no source has none either', () => {
    const opaque: SchemaProvider = { table: () => undefined, function: () => undefined, tableNames: () => [], functionNames: () => [] };
    expect(stackProviders(own, opaque).source).toBeUndefined();
  });
});
