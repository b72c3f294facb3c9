/** Word lists the generators draw from: varied scripts, accents, emoji and awkward punctuation on purpose. */

export const FIRST_NAMES = [
  'Ada', 'Bjørn', 'Chloé', 'Dmitri', 'Émile', 'Fatima', 'Giulia', 'Hana', 'Ilse', 'José', 'Kenji', 'Léa',
  'Mateo', 'Nnamdi', 'Olga', 'Priya', 'Quentin', 'Rosa', 'Søren', 'Tomás', 'Uma', 'Valentina', 'Wei',
  'Xóchitl', 'Yusuf', 'Zoë', '李', 'Анна', 'محمد', 'O\'Brien',
] as const;

export const LAST_NAMES = [
  'Andersen', 'Barros', 'Çelik', 'Dubois', 'Eriksson', 'Fernández', 'García', 'Hoffmann', 'Ivanova',
  'Jensen', 'Kowalski', 'López', 'Müller', 'Nakamura', 'Okafor', 'Petrović', 'Quispe', 'Rossi', 'Schäfer',
  'Tanaka', 'Ueda', 'Van der Berg', 'Wójcik', 'Xu', 'Yılmaz', 'Zhang', '王', 'Смирнов', 'D\'Angelo', 'Smith-Jones',
] as const;

export const CITIES = [
  ['Ottawa', 'CA', 'Ontario', 'ON', 'K1A 0B1'],
  ['Berlin', 'DE', 'Berlin', 'BE', '10115'],
  ['São Paulo', 'BR', 'São Paulo', 'SP', '01000-000'],
  ['Tokyo', 'JP', 'Tōkyō', 'JP-13', '100-0001'],
  ['New York', 'US', 'New York', 'NY', '10001'],
  ['London', 'GB', 'England', 'ENG', 'SW1A 1AA'],
  ['Paris', 'FR', 'Île-de-France', 'IDF', '75001'],
  ['Zürich', 'CH', 'Zürich', 'ZH', '8001'],
  ['Mumbai', 'IN', 'Maharashtra', 'MH', '400001'],
  ['Sydney', 'AU', 'New South Wales', 'NSW', '2000'],
  ['Stockholm', 'SE', 'Stockholm', 'AB', '111 20'],
  ['Kraków', 'PL', 'Małopolskie', 'MA', '30-001'],
] as const;

export const COUNTRY_NAMES: Record<string, string> = {
  CA: 'Canada', DE: 'Germany', BR: 'Brazil', JP: 'Japan', US: 'United States', GB: 'United Kingdom',
  FR: 'France', CH: 'Switzerland', IN: 'India', AU: 'Australia', SE: 'Sweden', PL: 'Poland',
};

/** Presentment currencies and a fixed rate from the shop currency (USD). JPY has no minor unit. */
export const CURRENCIES: ReadonlyArray<readonly [string, number]> = [
  ['USD', 1], ['USD', 1], ['USD', 1], ['EUR', 0.92], ['GBP', 0.79], ['CAD', 1.36], ['JPY', 151.2],
  ['AUD', 1.52], ['CHF', 0.88], ['SEK', 10.4], ['INR', 83.1], ['BRL', 5.01], ['PLN', 3.96],
];

export const ADJECTIVES = [
  'Classic', 'Organic', 'Vintage', 'Ergonomic', 'Handmade', 'Rustic', 'Sleek', 'Cozy', 'Über', 'Petite',
  'Grand', 'Crème', 'Nordic', 'Señor', 'Smart', 'Eco', '“Quoted”', 'Slash/Back\\slash', 'Tiny 🐢', 'Bold',
] as const;

export const NOUNS = [
  'Mug', 'T-Shirt', 'Sneakers', 'Backpack', 'Lamp', 'Notebook', 'Candle', 'Scarf', 'Teapot', 'Blanket',
  'Headphones', 'Jacket', 'Wallet', 'Sunglasses', 'Chair', 'Bottle', 'Café Table', 'Naïve Print', '茶碗', 'Кружка',
] as const;

export const VENDORS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Soylent', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Ünited Ärts'] as const;
export const PRODUCT_TYPES = ['Apparel', 'Home', 'Accessories', 'Footwear', 'Kitchen', 'Stationery', ''] as const;
export const TAGS = ['sale', 'new', 'summer', 'winter', 'gift', 'vip', 'wholesale', 'b2b', 'back-in-stock', 'limited'] as const;
export const OPTION_SETS = [
  ['Size', ['XS', 'S', 'M', 'L', 'XL']],
  ['Color', ['Red', 'Blue', 'Black', 'Weiß', 'Grün']],
  ['Material', ['Cotton', 'Wool', 'Linen', 'Polyester']],
] as const;

export const TAX_TITLES = ['GST', 'PST', 'VAT', 'State Tax', 'County Tax', 'MwSt.'] as const;
export const SHIPPING_TITLES = ['Standard', 'Express', 'Overnight', 'Free Shipping', 'Local Pickup', 'Économique'] as const;
export const DISCOUNT_CODES = ['WELCOME10', 'SUMMER-SALE', 'VIP/2024', 'FREESHIP', 'BLACKFRIDAY', 'ÉTÉ20'] as const;
export const GATEWAYS = ['shopify_payments', 'manual', 'paypal', 'gift_card'] as const;
export const LOCATION_NAMES = ['Main Warehouse', 'Downtown Store', 'Entrepôt Nord', 'Lager Süd', 'Pop-up 🛍️', 'East DC', 'West DC', 'Outlet'] as const;

/** A deterministic very long string (tens of kB) to stress consumers. */
export function longText(n: number): string {
  const unit = 'Lorem ipsum — “quoted”, /slashes/, back\\slash, tab\t, newline\n, emoji 🚚 and 中文. ';
  return `#${n} ` + unit.repeat(300);
}
