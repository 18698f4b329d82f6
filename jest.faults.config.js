/** @type {import('jest').Config} npm run test:faults: the fault suite (nginx, three replicas, a database restarted). */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testPathIgnorePatterns: [],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 600000,
  maxWorkers: 1,
};
