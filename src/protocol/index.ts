export * from './messages.js';
export * from './writer.js';
export * from './reader.js';
export * from './lines.js';
