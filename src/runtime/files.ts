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
    throw new ConfigError(`The ${what} file ${path} is not valid JSON: ${errorMessage(err)}`);
  }
}

/** The package root (works from src/ under vitest and from dist/ when built). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function readPackageJsonFile(relative: string): Promise<unknown> {
  return JSON.parse(await readFile(`${PACKAGE_ROOT}${relative}`, 'utf8'));
}
