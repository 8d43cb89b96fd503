/** The File resource: one line per operation (see ../resources.ts). */
export * as amendCategory from './amendCategory.operation';
export * as delete from './delete.operation';
export * as extractFields from './extractFields.operation';
export * as fetchBatch from './fetchBatch.operation';
export * as retry from './retry.operation';
export * as updateResult from './updateResult.operation';
export * as upload from './upload.operation';
