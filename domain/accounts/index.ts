export * from './accountName';
