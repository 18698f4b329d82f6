export * from './blocks';
export * from './choices';
export * from './client-section';
export * from './home';
export * from './intake';
export * from './search';
export * from './text';
export * from './ticket-card';
