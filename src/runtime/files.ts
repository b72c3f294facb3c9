/** Reading the JSON files a connector is given (--config, --catalog, --state) with errors that name them. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError, errorMessage } from './errors.js';

export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read the ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 quotes a piece of the text (`Unexpected token 's', ..."password": shpat_…"... is not valid JSON`),
    // which could be a secret of a config the redactor cannot read yet: keep only the position.
    const detail = errorMessage(err).replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
    throw new ConfigError(`The ${what} file ${path} is not valid JSON: ${detail}${positionOf(text, err)}`);
  }
}

/** ` (line L, column C)` of a JSON.parse error, when V8 names a position. */
function positionOf(text: string, err: unknown): string {
  const m = /at position (\d+)/.exec(errorMessage(err));
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

/** The package root (works from src/ under vitest and from dist/ when built). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function readPackageJsonFile(relative: string): Promise<unknown> {
  return JSON.parse(await readFile(`${PACKAGE_ROOT}${relative}`, 'utf8'));
}
