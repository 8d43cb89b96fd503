/** The Category Field resource: one line per operation (see ../resources.ts). */
export {};
