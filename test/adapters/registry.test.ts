/**
 * The adapter registry (src/adapters/registry.ts) as the one list of the attributes each built-in adapter
 * reads: each factory reads exactly the attributes its entry lists (tsc already stops it reading others), so
 * what the show observes and what the docs describe is what the adapters use.
 */
import {expect} from '@open-wc/testing';
import {ADAPTER_NAMES, ADAPTER_OPTION_ATTRIBUTES, createAdapter} from '../../src/adapters/registry.js';
import {ADAPTER_ATTRIBUTE_DOCS} from '../../src/adapters/registry-docs.js';

/** The attributes `createAdapter(name, …)` reads, other than the show's own `consent`. */
async function attributesRead(name: string): Promise<string[]> {
  const read = new Set<string>();
  const show = document.createElement('div');
  show.getAttribute = (attribute: string) => {
    read.add(attribute);
    return null;
  };
  // A factory reads its attributes before its adapter checks them: a configuration error here is expected.
  const adapter = await createAdapter(name, show).catch(() => null);
  adapter?.dispose?.();
  read.delete('consent');
  return [...read].sort();
}

describe('adapter registry', () => {
  for (const [name, attributes] of Object.entries(ADAPTER_ATTRIBUTE_DOCS)) {
    it(`${name} reads the attributes its entry lists, and no other`, async () => {
      expect(await attributesRead(name)).to.deep.equal(Object.keys(attributes).sort());
    });
  }

  it('describes every adapter it makes, and observes each attribute once', () => {
    expect(Object.keys(ADAPTER_ATTRIBUTE_DOCS)).to.deep.equal(ADAPTER_NAMES);
    const listed = new Set(Object.values(ADAPTER_ATTRIBUTE_DOCS).flatMap((attributes) => Object.keys(attributes)));
    expect([...ADAPTER_OPTION_ATTRIBUTES].sort()).to.deep.equal([...listed].sort());
  });
});
