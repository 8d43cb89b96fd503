/** The Category Sample resource: one line per operation (see ../resources.ts). */
export * as delete from './delete.operation';
export * as download from './download.operation';
export * as getAll from './getAll.operation';
export * as upload from './upload.operation';
