/** The Rule Repository resource: one line per operation (see ../resources.ts). */
export * as create from './create.operation';
export * as delete from './delete.operation';
export * as get from './get.operation';
export * as getAll from './getAll.operation';
export * as update from './update.operation';
