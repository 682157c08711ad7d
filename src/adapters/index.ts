/** Commerce adapters (DESIGN.md §5): `import {MemoryAdapter} from 'kolkit/adapters'`. */
export {MemoryAdapter, type MemoryAdapterOptions} from './memory.js';
export {createAdapter, type AdapterFactory} from './registry.js';
export type * from './types.js';
