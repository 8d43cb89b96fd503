/** The Category Field resource: one line per operation (see ../resources.ts). */
export * as add from './add.operation';
export * as delete from './delete.operation';
export * as getAll from './getAll.operation';
export * as update from './update.operation';
