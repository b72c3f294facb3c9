/** Mailing addresses shared by customers and orders. */
import { hash, pick, unit } from '../rng.js';
import { CITIES, COUNTRY_NAMES, FIRST_NAMES, LAST_NAMES } from './data.js';
import { gid } from './ids.js';
import type { Rec } from './types.js';

export function personName(seed: number, stream: number, index: number): [string, string] {
  return [pick(FIRST_NAMES, seed, stream, index, 11), pick(LAST_NAMES, seed, stream, index, 12)];
}

export function mailingAddress(seed: number, stream: number, index: number, id: number, model: string): Rec {
  const [city, countryCode, province, provinceCode, zip] = pick(CITIES, seed, stream, index, 21);
  const [firstName, lastName] = personName(seed, stream, index);
  const street = `${(hash(seed, stream, index, 22) % 9000) + 1} ${pick(['Main St', 'Rue de la Paix', 'Königstraße', 'Calle Mayor', '銀座通り'], seed, stream, index, 23)}`;
  const address2 = unit(seed, stream, index, 24) < 0.7 ? null : `Apt ${hash(seed, stream, index, 25) % 400}`;
  const company = unit(seed, stream, index, 26) < 0.8 ? null : 'Müller & Söhne GmbH';
  const phone = unit(seed, stream, index, 27) < 0.5 ? null : `+1 613-555-${String(hash(seed, stream, index, 28) % 10000).padStart(4, '0')}`;
  const country = COUNTRY_NAMES[countryCode] ?? countryCode;
  return {
    __typename: 'MailingAddress',
    id: gid('MailingAddress', id, `model_name=${model}`),
    firstName,
    lastName,
    name: `${firstName} ${lastName}`,
    company,
    address1: street,
    address2,
    city,
    province,
    provinceCode,
    country,
    countryCodeV2: countryCode,
    countryCode,
    zip,
    phone,
    latitude: Math.round((unit(seed, stream, index, 29) * 180 - 90) * 1e6) / 1e6,
    longitude: Math.round((unit(seed, stream, index, 30) * 360 - 180) * 1e6) / 1e6,
    coordinatesValidated: false,
    timeZone: null,
    formattedArea: `${city} ${provinceCode}, ${country}`,
    formatted: [street, ...(address2 ? [address2] : []), `${city} ${provinceCode} ${zip}`, country],
  };
}
