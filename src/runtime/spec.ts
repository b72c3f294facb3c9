/** Loads a connector's specification from schemas/ (shipped with the package). */
import { readFileSync } from 'node:fs';
import type { ConnectorSpecification } from '../protocol/messages.js';
import { PACKAGE_ROOT } from './files.js';

export function loadSpec(file: string): ConnectorSpecification {
  return JSON.parse(readFileSync(`${PACKAGE_ROOT}schemas/${file}`, 'utf8')) as ConnectorSpecification;
}
