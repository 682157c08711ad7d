
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'cart.add': `In den Warenkorb`,
'cart.adding': `Wird hinzugefügt…`,
'pin.empty': `Gerade wird kein Produkt gezeigt.`,
'pin.load-failed': `Dieses Produkt konnte nicht geladen werden.`,
'pin.loading': `Produkt wird geladen`,
'pin.missing': `Dieses Produkt ist in diesem Shop nicht erhältlich.`,
'pin.no-show': `Diese Produktkarte ist mit keiner Show verbunden.`,
'pin.now-showing': str`Gerade gezeigt: ${0}`,
'pin.promo-code': `Code:`,
'pin.variant': `Variante`,
'pin.variant-sold-out': str`${0} (ausverkauft)`,
'price.was': `statt`,
'stock.only-left.=1': `Nur noch 1 verfügbar`,
'stock.only-left.=2': `Nur noch 2 verfügbar`,
'stock.only-left.few': str`Nur noch ${0} verfügbar`,
'stock.only-left.many': str`Nur noch ${0} verfügbar`,
'stock.only-left.one': str`Nur noch ${0} verfügbar`,
'stock.only-left.other': str`Nur noch ${0} verfügbar`,
'stock.sold-out': `Ausverkauft`,
    };
  