/** The Workspace resource: one line per operation (see ../resources.ts). */
export {};
