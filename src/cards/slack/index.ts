export * from './blocks';
export * from './choices';
export * from './client-section';
export * from './home';
export * from './intake';
export * from './text';
export * from './ticket-card';
