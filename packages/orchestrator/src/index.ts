// Skeleton: the 3pio CLI lands with the orchestrator issue.
export {};
