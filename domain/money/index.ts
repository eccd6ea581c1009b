export * from './asset';
export * from './integer';
