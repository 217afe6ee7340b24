// CommonJS entry: `require('@3pio/adapter-jest')` is the reporter class itself, which is
// what Jest's `reporters` option expects (it loads reporters with require, then import()).
import { JestAdapter } from './reporter.js';

export = JestAdapter;
