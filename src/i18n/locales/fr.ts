
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'cart.add': `Ajouter au panier`,
'cart.adding': `Ajout…`,
'pin.empty': `Aucun produit présenté pour le moment.`,
'pin.load-failed': `Impossible de charger ce produit.`,
'pin.loading': `Chargement du produit`,
'pin.missing': `Ce produit n'est pas disponible dans cette boutique.`,
'pin.no-show': `Cette fiche produit n'est reliée à aucun live.`,
'pin.now-showing': str`À l'écran : ${0}`,
'pin.promo-code': `Code :`,
'pin.variant': `Option`,
'pin.variant-sold-out': str`${0} (épuisé)`,
'price.was': `au lieu de`,
'stock.only-left.=1': `Plus qu'un seul en stock`,
'stock.only-left.=2': `Plus que 2 en stock`,
'stock.only-left.few': str`Plus que ${0} en stock`,
'stock.only-left.many': str`Plus que ${0} en stock`,
'stock.only-left.one': str`Plus que ${0} en stock`,
'stock.only-left.other': str`Plus que ${0} en stock`,
'stock.sold-out': `Épuisé`,
    };
  