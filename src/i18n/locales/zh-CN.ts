
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'cart.add': `加入购物车`,
'cart.adding': `正在加入…`,
'pin.empty': `当前没有正在展示的商品。`,
'pin.load-failed': `无法加载此商品。`,
'pin.loading': `正在加载商品`,
'pin.missing': `本店暂无此商品。`,
'pin.no-show': `此商品卡片未连接到任何直播。`,
'pin.now-showing': str`正在展示：${0}`,
'pin.promo-code': `优惠码：`,
'pin.variant': `规格`,
'pin.variant-sold-out': str`${0}（已售罄）`,
'price.was': `原价`,
'stock.only-left.=1': `仅剩 1 件`,
'stock.only-left.=2': `仅剩 2 件`,
'stock.only-left.few': str`仅剩 ${0} 件`,
'stock.only-left.many': str`仅剩 ${0} 件`,
'stock.only-left.one': str`仅剩 ${0} 件`,
'stock.only-left.other': str`仅剩 ${0} 件`,
'stock.sold-out': `已售罄`,
    };
  