export * from './broker-client.js';
