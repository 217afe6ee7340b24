export { RunState, RunRecord, FileRecord, type Counts, type FileStatus, type TestRecord } from './model/run-state.js';
export { OutputLog, type OutputChunk, type Stream } from './model/output-log.js';
export { ReportWriter, RUN_REPORT } from './reports/report-writer.js';
export { displayPath, reportPathFor } from './reports/report-path.js';
export { renderFileReport } from './reports/file-report.js';
export { renderRunReport, type RunInfo, type RunStatus } from './reports/run-report.js';
