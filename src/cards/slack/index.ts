export * from './blocks';
export * from './choices';
export * from './home';
export * from './intake';
export * from './text';
export * from './ticket-card';
