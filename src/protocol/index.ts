export * from './codes.js';
export * from './hash.js';
export * from './requirements.js';
export * from './schemas.js';
export * from './types.js';
export * from './redact.js';
