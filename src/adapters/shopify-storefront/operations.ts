/**
 * Every GraphQL document the shopify-storefront adapter sends, as constants, so a test can validate each
 * one against the schema Shopify ships for the pinned API version (`@shopify/hydrogen-react`'s
 * storefront.schema.json). Each operation carries `@inContext(country:, language:)`: a variable left out
 * of the request means the argument is absent, so the store's default market applies.
 */

const IN_CONTEXT_VARIABLES = '$country: CountryCode, $language: LanguageCode';
const IN_CONTEXT = '@inContext(country: $country, language: $language)';

/** The cart as kolkit reads it, shared by the cart query and every cart mutation. */
export const CART_FRAGMENT = `
fragment KolCartFields on Cart {
  id
  checkoutUrl
  totalQuantity
  cost { subtotalAmount { amount currencyCode } }
  discountAllocations { discountedAmount { amount currencyCode } targetType }
  discountCodes { code applicable }
  attributes { key value }
  lines(first: 250) {
    nodes {
      id
      quantity
      attributes { key value }
      cost { amountPerQuantity { amount currencyCode } }
      merchandise { ... on ProductVariant { id title product { id title } } }
    }
  }
}`;

/** What every cart mutation answers: the cart, refusals, and warnings (stock problems since 2024-10). */
const CART_PAYLOAD = `
    cart { ...KolCartFields }
    userErrors { code field message }
    warnings { code message target }`;

/** Products by GID. `nodes` answers null for unknown ids and `{}` for ids of other types. */
export const PRODUCTS_QUERY = `
query KolProducts($ids: [ID!]!, ${IN_CONTEXT_VARIABLES}) ${IN_CONTEXT} {
  nodes(ids: $ids) {
    ... on Product {
      id
      title
      description
      onlineStoreUrl
      featuredImage { url altText width height }
      variants(first: 250) {
        nodes {
          id
          title
          availableForSale
          quantityAvailable
          price { amount currencyCode }
          compareAtPrice { amount currencyCode }
        }
      }
    }
  }
}`;

/** The cart by id; null once it is gone (checked out, expired, another store's). */
export const CART_QUERY = `
query KolCart($cartId: ID!, ${IN_CONTEXT_VARIABLES}) ${IN_CONTEXT} {
  cart(id: $cartId) { ...KolCartFields }
}
${CART_FRAGMENT}`;

/** A cart mutation `call` with its own `variables`, answering CART_PAYLOAD. */
const cartMutation = (name: string, variables: string, call: string) => `
mutation ${name}(${variables}, ${IN_CONTEXT_VARIABLES}) ${IN_CONTEXT} {
  ${call} {${CART_PAYLOAD}
  }
}
${CART_FRAGMENT}`;

/** The first add: creates the cart with its first line (and the deal's discount code). */
export const CART_CREATE = cartMutation('KolCartCreate', '$input: CartInput!', 'cartCreate(input: $input)');

/** Adds lines to an existing cart. */
export const CART_LINES_ADD = cartMutation(
  'KolCartLinesAdd', '$cartId: ID!, $lines: [CartLineInput!]!', 'cartLinesAdd(cartId: $cartId, lines: $lines)',
);

/** Sets line quantities. */
export const CART_LINES_UPDATE = cartMutation(
  'KolCartLinesUpdate', '$cartId: ID!, $lines: [CartLineUpdateInput!]!', 'cartLinesUpdate(cartId: $cartId, lines: $lines)',
);

/** Removes lines (a quantity of 0). */
export const CART_LINES_REMOVE = cartMutation(
  'KolCartLinesRemove', '$cartId: ID!, $lineIds: [ID!]!', 'cartLinesRemove(cartId: $cartId, lineIds: $lineIds)',
);

/** Replaces the cart's discount codes: the adapter sends the existing ones plus the deal's. */
export const CART_DISCOUNT_CODES_UPDATE = cartMutation(
  'KolCartDiscountCodesUpdate',
  '$cartId: ID!, $discountCodes: [String!]!',
  'cartDiscountCodesUpdate(cartId: $cartId, discountCodes: $discountCodes)',
);

/** Sets the cart's attributes: the whole set (Shopify replaces it), so the adapter sends the cart's others along. */
export const CART_ATTRIBUTES_UPDATE = cartMutation(
  'KolCartAttributesUpdate',
  '$cartId: ID!, $attributes: [AttributeInput!]!',
  'cartAttributesUpdate(cartId: $cartId, attributes: $attributes)',
);

/** Every document the adapter sends, by name: tests validate each against the shipped schema. */
export const storefrontDocuments: Readonly<Record<string, string>> = {
  PRODUCTS_QUERY,
  CART_QUERY,
  CART_CREATE,
  CART_LINES_ADD,
  CART_LINES_UPDATE,
  CART_LINES_REMOVE,
  CART_DISCOUNT_CODES_UPDATE,
  CART_ATTRIBUTES_UPDATE,
};
