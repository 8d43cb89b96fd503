/** The pickers of the Review resources (rule repositories, rule groups, rules, review tasks). */
export const listSearch = {};
export const loadOptions = {};
