/** The Rule resource: one line per operation (see ../resources.ts). */
export * as create from './create.operation';
export * as delete from './delete.operation';
export * as update from './update.operation';
