
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'cart.add': `أضف إلى السلة`,
'cart.adding': `جارٍ الإضافة…`,
'pin.empty': `لا يُعرض أي منتج حاليًا.`,
'pin.load-failed': `تعذّر تحميل هذا المنتج.`,
'pin.loading': `جارٍ تحميل المنتج`,
'pin.missing': `هذا المنتج غير متوفر في هذا المتجر.`,
'pin.no-show': `بطاقة المنتج هذه غير مرتبطة بأي بث.`,
'pin.now-showing': str`يُعرض الآن: ${0}`,
'pin.promo-code': `الرمز:`,
'pin.variant': `الخيار`,
'pin.variant-sold-out': str`${0} (نفدت الكمية)`,
'price.was': `بدلًا من`,
'stock.only-left.=1': `تبقّت قطعة واحدة فقط`,
'stock.only-left.=2': `تبقّت قطعتان فقط`,
'stock.only-left.few': str`تبقّت ${0} قطع فقط`,
'stock.only-left.many': str`تبقّت ${0} قطعة فقط`,
'stock.only-left.one': str`تبقّت ${0} قطعة فقط`,
'stock.only-left.other': str`تبقّت ${0} قطعة فقط`,
'stock.sold-out': `نفدت الكمية`,
    };
  