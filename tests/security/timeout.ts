// jest setupFilesAfterEnv for the security project: 30 s per test (see jest.config.js).
jest.setTimeout(30_000);
