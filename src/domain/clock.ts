/** Where time comes from. Domain and app code never call `new Date()` or `Date.now()` directly. */
export interface Clock {
  now(): Date;
}
