/** The Review Task resource: one line per operation (see ../resources.ts). */
export {};
