
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'cart.add': `Añadir al carrito`,
'cart.adding': `Añadiendo…`,
'pin.empty': `Ahora mismo no se está mostrando ningún producto.`,
'pin.load-failed': `No se ha podido cargar este producto.`,
'pin.loading': `Cargando producto`,
'pin.missing': `Este producto no está disponible en esta tienda.`,
'pin.no-show': `Esta ficha de producto no está conectada a ninguna transmisión.`,
'pin.now-showing': str`Ahora en pantalla: ${0}`,
'pin.promo-code': `Código:`,
'pin.variant': `Opción`,
'pin.variant-sold-out': str`${0} (agotado)`,
'price.was': `antes`,
'stock.only-left.=1': `Solo queda 1`,
'stock.only-left.=2': `Solo quedan 2`,
'stock.only-left.few': str`Solo quedan ${0}`,
'stock.only-left.many': str`Solo quedan ${0}`,
'stock.only-left.one': str`Solo queda ${0}`,
'stock.only-left.other': str`Solo quedan ${0}`,
'stock.sold-out': `Agotado`,
    };
  