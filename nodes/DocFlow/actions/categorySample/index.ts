/** The Category Sample resource: one line per operation (see ../resources.ts). */
export {};
