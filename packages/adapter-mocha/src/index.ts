// Skeleton: the Mocha reporter adapter lands with the adapters issue (see ../../shared/ADAPTERS.md).
export {};
