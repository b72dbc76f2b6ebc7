// Two projects: `unit` covers the pure stages and needs nothing running;
// `e2e` drives real BuildKit, registries and ntfy from the sandbox stack.
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {'^.+\\.ts$': ['ts-jest', {useESM: true}]}
}

export default {
  projects: [
    {...shared, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts']},
    // jest ignores testTimeout inside a project: the e2e harness sets its own.
    {...shared, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts']}
  ]
}
