// Skeleton: the Vitest reporter adapter lands with the adapters issue (see ../../shared/ADAPTERS.md).
export {};
