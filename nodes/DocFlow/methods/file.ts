/** The pickers of the File resource. */
export const listSearch = {};
export const loadOptions = {};
