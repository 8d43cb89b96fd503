/** The Rule Repository resource: one line per operation (see ../resources.ts). */
export {};
