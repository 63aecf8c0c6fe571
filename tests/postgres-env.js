// The second engine (jest.config.js): this file's project runs against the PostgreSQL server in TEST_DATABASE_URL,
// as a self-hosted deployment does (DATABASE_URL), in the same jest run and workers as its PGlite copy.
// jest gives each test file its own copy of process.env, so the setting stays with this file's tests and the
// processes they start (the browser tests' local cloud inherits it).
if (!process.env.TEST_DATABASE_URL) throw new Error('a ·pg project runs only with TEST_DATABASE_URL (scripts/test-all.mjs sets it)');
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
