/** The File resource: one line per operation (see ../resources.ts). */
export * as fetchBatch from './fetchBatch.operation';
export * as retry from './retry.operation';
export * as upload from './upload.operation';
