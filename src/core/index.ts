/** The channel-free model shared by the engine, stores and channel adapters. */
export * from './conversation-key.js';
export * from './inbound-event.js';
export * from './outbound-message.js';
export * from './errors.js';
export type * from './store.js';
export type * from './sender.js';
export * from './logger.js';
export * from './loopback.js';
export * from './chat-clearing.js';
