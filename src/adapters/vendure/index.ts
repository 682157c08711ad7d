/** The `vendure` commerce adapter (Vendure Shop API): `import {VendureAdapter} from 'kolkit/adapters'`. */
export {VendureAdapter, fromAttributes, type VendureAdapterOptions} from './adapter.js';
export type {ConsentSignal, VendureSessionMode} from './session.js';
