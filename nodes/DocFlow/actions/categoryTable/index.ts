/** The Category Table resource: one line per operation (see ../resources.ts). */
export {};
