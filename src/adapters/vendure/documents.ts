/**
 * The Shop API operations the Vendure adapter sends. Mutation answers are typed unions (`Order` or an
 * `ErrorResult`), so each asks for the order and for every error's code and message.
 *
 * The OrderLine custom field that holds line attributes only exists on stores that configured it, and
 * asking for a field the schema lacks fails the whole operation: the documents are built per adapter,
 * with the field only when it was named.
 */

/** The GraphQL documents of one adapter. */
export interface VendureDocuments {
  products: string;
  activeOrder: string;
  addItem: string;
  adjustLine: string;
  removeLine: string;
  applyCoupon: string;
}

/** True for a name GraphQL accepts as a field: it is written into the documents, so nothing else may be. */
export function isGraphQLName(name: string): boolean {
  return /^[_A-Za-z][_0-9A-Za-z]*$/.test(name);
}

/** The documents for a store; `lineAttributesField` (a checked GraphQL name) is the OrderLine custom field. */
export function vendureDocuments(lineAttributesField?: string): VendureDocuments {
  const lineCustomFields = lineAttributesField ? `customFields { ${lineAttributesField} }` : '';
  const cart = `fragment KolCart on Order {
  code totalQuantity subTotalWithTax currencyCode
  lines { id quantity proratedUnitPriceWithTax productVariant { id name product { id } } ${lineCustomFields} }
}`;
  // Every mutation result below is a union: the order, or an error with a code and a message.
  const result = `__typename ...KolCart ... on ErrorResult { errorCode message }`;
  const stock = `... on InsufficientStockError { quantityAvailable order { ...KolCart } }`;
  return {
    products: `query KolProducts($ids: [String!]!, $take: Int!) {
  products(options: {filter: {id: {in: $ids}}, take: $take}) {
    items {
      id name description
      featuredAsset { preview name width height }
      variants { id name priceWithTax currencyCode stockLevel options { name } }
    }
  }
}`,
    activeOrder: `query KolActiveOrder { activeOrder { ...KolCart } activeChannel { defaultCurrencyCode } }
${cart}`,
    addItem: lineAttributesField
      ? `mutation KolAddItem($variantId: ID!, $quantity: Int!, $customFields: OrderLineCustomFieldsInput) {
  addItemToOrder(productVariantId: $variantId, quantity: $quantity, customFields: $customFields) { ${result} ${stock} }
}
${cart}`
      : `mutation KolAddItem($variantId: ID!, $quantity: Int!) {
  addItemToOrder(productVariantId: $variantId, quantity: $quantity) { ${result} ${stock} }
}
${cart}`,
    adjustLine: `mutation KolAdjustLine($lineId: ID!, $quantity: Int!) {
  adjustOrderLine(orderLineId: $lineId, quantity: $quantity) { ${result} ${stock} }
}
${cart}`,
    removeLine: `mutation KolRemoveLine($lineId: ID!) { removeOrderLine(orderLineId: $lineId) { ${result} } }
${cart}`,
    applyCoupon: `mutation KolApplyCoupon($code: String!) { applyCouponCode(couponCode: $code) { ${result} } }
${cart}`,
  };
}
