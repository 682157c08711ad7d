
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'cart.add': `カートに入れる`,
'cart.adding': `追加中…`,
'pin.empty': `現在紹介中の商品はありません。`,
'pin.load-failed': `この商品を読み込めませんでした。`,
'pin.loading': `商品を読み込み中`,
'pin.missing': `この商品はこのストアでは取り扱いがありません。`,
'pin.no-show': `この商品カードはライブ配信に接続されていません。`,
'pin.now-showing': str`紹介中：${0}`,
'pin.promo-code': `クーポンコード：`,
'pin.variant': `オプション`,
'pin.variant-sold-out': str`${0}（売り切れ）`,
'price.was': `通常価格`,
'stock.only-left.=1': `残り1点`,
'stock.only-left.=2': `残り2点`,
'stock.only-left.few': str`残り${0}点`,
'stock.only-left.many': str`残り${0}点`,
'stock.only-left.one': str`残り${0}点`,
'stock.only-left.other': str`残り${0}点`,
'stock.sold-out': `売り切れ`,
    };
  