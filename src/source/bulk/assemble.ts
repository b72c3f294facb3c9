/**
 * Reassembly of bulk JSONL lines into trees: every line with `__parentId` is attached to its parent,
 * grouped by the type name in its gid (`gid://shopify/LineItem/1` → `LineItem`) under `__children`.
 *
 * `GroupedAssembler` handles files where each root's descendants follow it before the next root
 * (groupObjects: true, or versions before 2025-07). It holds one root's tree at a time, and it refuses
 * a line whose parent is not in the current tree instead of attaching it to the wrong record.
 */
import { ConnectorError } from '../../runtime/errors.js';
import type { BulkNode } from '../streams/define.js';

export class ReassemblyError extends ConnectorError {
  constructor(message: string) {
    super(message);
    this.name = 'ReassemblyError';
  }
}

const GID = /^gid:\/\/shopify\/([A-Za-z0-9_]+)\//;

/** `gid://shopify/InventoryLevel/1?inventory_item_id=2` → `InventoryLevel`. */
export function gidType(id: unknown): string | undefined {
  return typeof id === 'string' ? GID.exec(id)?.[1] : undefined;
}

export function attachChild(parent: BulkNode, child: BulkNode): void {
  const type = gidType(child.id) ?? (typeof child.__typename === 'string' ? child.__typename : 'Unknown');
  const children = (parent.__children ??= {});
  (children[type] ??= []).push(child);
}

/** Parses one line; the error names the line. */
export function parseLine(line: string, lineNumber: number, label: string): BulkNode {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new ReassemblyError(`${label}: line ${lineNumber} of the bulk result is not valid JSON (${(err as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ReassemblyError(`${label}: line ${lineNumber} of the bulk result is not an object`);
  return value as BulkNode;
}

/** Removes `__parentId` from a child node and returns it. */
export function takeParentId(node: BulkNode): string | undefined {
  const parent = node.__parentId;
  if (parent === undefined) return undefined;
  delete node.__parentId;
  if (typeof parent !== 'string') throw new ReassemblyError(`a bulk result line has a non-string __parentId: ${JSON.stringify(parent)}`);
  return parent;
}

export class GroupedAssembler {
  private root: BulkNode | undefined;
  private readonly index = new Map<string, BulkNode>();

  constructor(private readonly label: string) {}

  /** Adds one parsed line; returns the previous root when this line starts a new one. */
  push(node: BulkNode, lineNumber: number): BulkNode | undefined {
    const parentId = takeParentId(node);
    if (parentId === undefined) {
      const done = this.root;
      this.root = node;
      this.index.clear();
      if (typeof node.id === 'string') this.index.set(node.id, node);
      return done;
    }
    const parent = this.index.get(parentId);
    if (!parent) {
      throw new ReassemblyError(
        `${this.label}: line ${lineNumber} belongs to ${parentId}, which is not the record being assembled; the bulk result is not grouped by parent, so it cannot be read as grouped`,
      );
    }
    attachChild(parent, node);
    if (typeof node.id === 'string') this.index.set(node.id, node);
    return undefined;
  }

  /** The last root, at the end of the file. */
  finish(): BulkNode | undefined {
    const done = this.root;
    this.root = undefined;
    this.index.clear();
    return done;
  }
}

/** Checks a stream's per-parent child counts; fewer children than the parent reports means Shopify cut the connection. */
export function checkExpectedChildren(node: BulkNode, expected: Record<string, number> | undefined, label: string): void {
  if (!expected) return;
  for (const [type, count] of Object.entries(expected)) {
    const got = node.__children?.[type]?.length ?? 0;
    if (got < count) {
      throw new ReassemblyError(
        `${label}: ${String(node.id)} reports ${count} ${type} children but the bulk result holds ${got}; Shopify truncated this nested connection, so the record would be incomplete`,
      );
    }
  }
}
