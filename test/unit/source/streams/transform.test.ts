import { describe, expect, it } from 'vitest';
import { dateTime, gidId, gidType, int, money, moneySet, num, rootArgs, tags } from '../../../../src/source/streams/transform.js';

describe('transform helpers', () => {
  it('gid → numeric id and type, parameterised gids included', () => {
    expect(gidId('gid://shopify/Order/5100000000001')).toBe(5100000000001);
    expect(gidId('gid://shopify/InventoryLevel/97960509477?inventory_item_id=42185200631845')).toBe(97960509477);
    expect(gidType('gid://shopify/MailingAddress/1?model_name=CustomerAddress')).toBe('MailingAddress');
    expect([gidId('not-a-gid'), gidId(null), gidId(12), gidId('gid://shopify/Order/')]).toEqual([null, null, null, null]);
  });

  it('money and numbers from Shopify strings; nothing invented for bad input', () => {
    expect(num('12.50')).toBe(12.5);
    expect(int('1200')).toBe(1200);
    expect([num(''), num('abc'), num(null), num(Number.NaN)]).toEqual([null, null, null, null]);
    expect(money({ amount: '0.0', currencyCode: 'JPY' })).toEqual({ amount: 0, currency_code: 'JPY' });
    expect(moneySet({ shopMoney: { amount: '1.00', currencyCode: 'USD' }, presentmentMoney: null })).toEqual({ shop_money: { amount: 1, currency_code: 'USD' }, presentment_money: null });
    expect(moneySet(null)).toBeNull();
  });

  it('dates as Airbyte writes them, tags joined', () => {
    expect(dateTime('2024-01-01T15:00:00Z')).toBe('2024-01-01T15:00:00+00:00');
    expect(dateTime('2024-01-01T15:00:00-05:00')).toBe('2024-01-01T15:00:00-05:00');
    expect([dateTime(''), dateTime(null)]).toEqual([null, null]);
    expect(tags(['a', 'b'])).toBe('a, b');
    expect(tags([])).toBeNull();
  });

  it('root arguments quote the filter as a GraphQL string', () => {
    expect(rootArgs(undefined)).toBe('');
    expect(rootArgs("updated_at:>='2024-01-01T00:00:00Z'", 'UPDATED_AT')).toBe(`(query: "updated_at:>='2024-01-01T00:00:00Z'", sortKey: UPDATED_AT)`);
    expect(rootArgs('title:"a\\b"')).toBe('(query: "title:\\"a\\\\b\\"")');
  });
});
