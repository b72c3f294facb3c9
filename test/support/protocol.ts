/**
 * Validation of emitted messages against the official Airbyte protocol schema. Every command test runs
 * its output through `expectValidMessages`, so a message that drifts from the protocol fails a test.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { expect } from 'vitest';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { createAjv } from '../../src/runtime/validate.js';
import { PACKAGE_ROOT } from '../../src/runtime/files.js';

/** The read-only reference copy beside the repo; the vendored copy must equal it (see protocol tests). */
export const SHARED_PROTOCOL_YAML = `${PACKAGE_ROOT}../shared/airbyte/airbyte_protocol.yaml`;
const schemaPath = existsSync(SHARED_PROTOCOL_YAML) ? SHARED_PROTOCOL_YAML : `${PACKAGE_ROOT}schemas/airbyte/airbyte_protocol.yaml`;

let validators: Map<string, ValidateFunction> | undefined;

export function protocolValidator(definition = 'AirbyteMessage'): ValidateFunction {
  validators ??= new Map();
  let v = validators.get(definition);
  if (!v) {
    const doc = parse(readFileSync(schemaPath, 'utf8')) as { definitions: Record<string, unknown> };
    v = createAjv().compile({ definitions: doc.definitions, $ref: `#/definitions/${definition}` });
    validators.set(definition, v);
  }
  return v;
}

/** Asserts that each message is a valid AirbyteMessage, with the failing one in the error. */
export function expectValidMessages(messages: readonly unknown[]): void {
  const validate = protocolValidator();
  for (const m of messages) {
    if (!validate(m)) {
      expect.fail(`invalid Airbyte message ${JSON.stringify(m).slice(0, 500)}: ${JSON.stringify(validate.errors)}`);
    }
  }
}

export type { AirbyteMessage };
