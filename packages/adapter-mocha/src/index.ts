// Mocha loads reporters with require() only (10 and 11): the module is the class itself.
import { ThreePioMochaReporter } from './reporter.js';

export = ThreePioMochaReporter;
