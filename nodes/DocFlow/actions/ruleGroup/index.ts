/** The Rule Group resource: one line per operation (see ../resources.ts). */
export {};
