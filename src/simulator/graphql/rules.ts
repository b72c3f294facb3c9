/**
 * Version gates and Shopify's stricter ID handling, as extra validation rules on top of graphql's own.
 */
import { GraphQLError, Kind, getNamedType } from 'graphql';
import type { ASTVisitor, FieldNode, ValidationContext } from 'graphql';
import { hasBulkOperationReadRoots, hasGroupObjectsArgument } from '../versions.js';

const GID = /^gid:\/\/[^/]+\/[A-Za-z]+\/[^/]+/;

/** Whether a string is acceptable as an Admin API ID (a global id). */
export function isGlobalId(value: string): boolean {
  return GID.test(value);
}

/** Fields and arguments the schema we validate with has but the requested version does not. */
export function versionGateRule(version: string) {
  return (context: ValidationContext): ASTVisitor => ({
    Field(node) {
      const parent = context.getParentType();
      if (!parent) return;
      const name = node.name.value;
      if (parent.name === context.getSchema().getQueryType()?.name && !hasBulkOperationReadRoots(version) && (name === 'bulkOperation' || name === 'bulkOperations')) {
        context.reportError(new GraphQLError(`Field '${name}' doesn't exist on type '${parent.name}'`, { nodes: node, extensions: { code: 'undefinedField', typeName: parent.name, fieldName: name } }));
      }
      if (name === 'bulkOperationRunQuery' && !hasGroupObjectsArgument(version)) {
        for (const arg of node.arguments ?? []) {
          if (arg.name.value === 'groupObjects') {
            context.reportError(new GraphQLError(`Field 'bulkOperationRunQuery' doesn't accept argument 'groupObjects'`, { nodes: arg, extensions: { code: 'argumentNotAccepted', name: 'bulkOperationRunQuery', typeName: 'Field', argumentName: 'groupObjects' } }));
          }
        }
      }
    },
  });
}

/** Literal ID arguments must be global ids: "Invalid global id 'x'" (reference §1.6). */
export function globalIdLiteralRule(operationLabel: string) {
  return (context: ValidationContext): ASTVisitor => {
    let field: FieldNode | undefined;
    return {
    Field(node) {
      field = node;
    },
    Argument(node) {
      const arg = context.getArgument();
      const def = context.getFieldDef();
      if (!arg || !def || getNamedType(arg.type).name !== 'ID' || node.value.kind !== Kind.STRING) return;
      if (isGlobalId(node.value.value)) return;
      context.reportError(new GraphQLError(`Invalid global id '${node.value.value}'`, {
        nodes: field ?? node,
        path: [operationLabel, def.name, arg.name],
        extensions: { code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' },
      }));
    },
    };
  };
}
