export * from './reputation';
