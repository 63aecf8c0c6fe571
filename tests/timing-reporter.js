// A jest reporter for scripts/test-all.mjs: one row per test file — its project (displayName, so the PostgreSQL
// copies of a project count apart), its time, its passed and failed tests — written as JSON to TIMING_REPORT.
// (jest --json names neither a file's project nor, for a file run twice, which run is which.)
const { writeFileSync } = require('node:fs');
const { relative } = require('node:path');

class TimingReporter {
  constructor(globalConfig) {
    this.root = globalConfig.rootDir;
    this.rows = [];
  }

  onTestResult(test, result) {
    this.rows.push({
      project: test.context.config.displayName?.name ?? '?',
      file: relative(this.root, result.testFilePath),
      seconds: (result.perfStats.end - result.perfStats.start) / 1000 || 0,
      passed: result.numPassingTests,
      failed: result.numFailingTests,
      couldNotRun: Boolean(result.testExecError),
    });
  }

  onRunComplete() {
    if (process.env.TIMING_REPORT) writeFileSync(process.env.TIMING_REPORT, `${JSON.stringify(this.rows, null, 1)}\n`);
  }
}

module.exports = TimingReporter;
