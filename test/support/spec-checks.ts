/**
 * The connector acceptance tests' schema checks (spec and discovery), as plain functions returning the
 * list of problems found, so tests can assert an empty list and self-test on broken inputs.
 */
import { createAjv } from '../../src/runtime/validate.js';

type Node = Record<string, unknown>;
const SECRET_NAMES = new Set([
  'client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key', 'service_account_info',
  'service_account', 'tenant_id', 'certificate', 'jwt', 'credentials', 'app_id', 'appid', 'refresh_token', 'api_password', 'service_account_json',
]);
const FORBIDDEN = ['not', 'anyOf', 'patternProperties', 'prefixItems', 'allOf', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired'];

function walk(node: unknown, path: string, visit: (n: Node, path: string, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${path}[${i}]`, visit));
  else if (node && typeof node === 'object') {
    visit(node as Node, path, key);
    for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`, visit, k);
  }
}

/** Problems common to spec and stream schemas: draft-07 validity, `$ref`, additionalProperties, forbidden keywords. */
export function schemaProblems(schema: unknown): string[] {
  const problems: string[] = [];
  try {
    createAjv().compile(schema as object);
  } catch (err) {
    problems.push(`not a valid draft-07 schema: ${(err as Error).message}`);
  }
  walk(schema, '$', (n, path, key) => {
    // Inside `properties`, keys are property names, not keywords.
    if (key === 'properties') return;
    if ('$ref' in n) problems.push(`${path}: $ref is not allowed`);
    if ('additionalProperties' in n && n.additionalProperties !== true) problems.push(`${path}: additionalProperties must be true`);
    const parentIsProperties = path.endsWith('.properties');
    if (!parentIsProperties) for (const f of FORBIDDEN) if (f in n) problems.push(`${path}: forbidden keyword ${f}`);
    if (Array.isArray(n.type) && !(n.type.length === 2 && n.type.includes('null'))) problems.push(`${path}: type must be one type or [type, "null"]`);
  });
  return problems;
}

/** The acceptance tests' spec checks (TestSpec). */
export function specProblems(spec: { connectionSpecification: unknown; advanced_auth?: Node }): string[] {
  const schema = spec.connectionSpecification;
  const problems = schemaProblems(schema);
  walk(schema, '$', (n, path, key) => {
    if (key === 'properties') return;
    for (const kw of ['oneOf', 'anyOf'] as const) {
      const variants = n[kw] as Node[] | undefined;
      if (!variants) continue;
      if (n.type !== 'object') problems.push(`${path}: a ${kw} parent must have type object`);
      const props = variants.map((v) => (v.properties ?? {}) as Record<string, Node>);
      if (props.some((p) => Object.keys(p).length === 0)) problems.push(`${path}: every ${kw} variant needs properties`);
      const common = Object.keys(props[0] ?? {}).filter((k) => props.every((p) => k in p));
      const consts = common.filter((k) => props.every((p) => p[k]?.const !== undefined));
      if (consts.length !== 1) problems.push(`${path}: ${kw} needs exactly one common const property, found ${consts.length}`);
      for (const k of consts) {
        for (const p of props) {
          const c = p[k]!;
          if ('default' in c && c.default !== c.const) problems.push(`${path}.${k}: default must equal const`);
          if ('enum' in c && JSON.stringify(c.enum) !== JSON.stringify([c.const])) problems.push(`${path}.${k}: enum must be [const]`);
        }
      }
    }
    if ('properties' in n) {
      for (const [name, prop] of Object.entries(n.properties as Record<string, Node>)) {
        const scalar = ['string', 'integer', 'number'].includes(String(prop.type));
        if (SECRET_NAMES.has(name) && scalar && prop.const === undefined && prop.airbyte_secret !== true) {
          problems.push(`${path}.properties.${name}: must be marked airbyte_secret`);
        }
        if (prop.airbyte_secret && (!scalar || prop.const !== undefined)) problems.push(`${path}.properties.${name}: airbyte_secret only on scalar non-const`);
        if (prop.airbyte_secret && !SECRET_NAMES.has(name)) problems.push(`${path}.properties.${name}: airbyte_secret on a field that is not a secret`);
      }
      const orders = Object.values(n.properties as Record<string, Node>).map((p) => p.order).filter((o) => o !== undefined);
      if (new Set(orders).size !== orders.length) problems.push(`${path}: duplicate order values`);
    }
  });
  const auth = spec.advanced_auth;
  if (auth) {
    const exists = (p: unknown): boolean => {
      let node: Node | undefined = schema as Node;
      for (const part of p as string[]) {
        const props: Record<string, Node> = { ...((node?.properties ?? {}) as Record<string, Node>) };
        for (const v of (node?.oneOf ?? []) as Node[]) Object.assign(props, v.properties ?? {});
        node = props[part];
        if (!node) return false;
      }
      return true;
    };
    if (!exists(auth.predicate_key)) problems.push(`advanced_auth.predicate_key ${JSON.stringify(auth.predicate_key)} not in spec`);
    walk(auth.oauth_config_specification, 'advanced_auth', (n, path) => {
      if ('path_in_connector_config' in n && !exists(n.path_in_connector_config)) problems.push(`${path}: path_in_connector_config not in spec`);
    });
    const [first] = ((schema as Node).properties as Record<string, Node>)[(auth.predicate_key as string[])[0]!]?.oneOf as Node[];
    const k = (auth.predicate_key as string[])[1]!;
    if (((first?.properties as Record<string, Node>)?.[k])?.const !== auth.predicate_value) problems.push('the OAuth variant must be the first oneOf variant');
  }
  return problems;
}
