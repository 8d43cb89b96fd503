/** The Review Task resource: one line per operation (see ../resources.ts). */
export * as delete from './delete.operation';
export * as getResult from './getResult.operation';
export * as retry from './retry.operation';
export * as retryRule from './retryRule.operation';
export * as submit from './submit.operation';
