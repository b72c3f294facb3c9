/** Hash streams, one per kind of generated thing, so values of different kinds are independent. */
export const STREAM = {
  orders: 1, products: 2, productVariants: 3, customers: 4, inventoryItems: 5, inventoryLevels: 6,
  locations: 7, collections: 8, lineItems: 9, shippingLines: 10, discounts: 11, metafields: 12, media: 13,
  customerAddresses: 14, orderAddresses: 15, mutations: 16,
} as const;
