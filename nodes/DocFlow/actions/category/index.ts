/** The Category resource: one line per operation (see ../resources.ts). */
export {};
