import * as category from './category';
import * as categorySample from './categorySample';
import * as file from './file';
import * as review from './review';
import * as workspace from './workspace';

/** Every picker of the node, one file per area: a new picker goes into its area's file. */
export const listSearch = {
	...category.listSearch,
	...categorySample.listSearch,
	...file.listSearch,
	...review.listSearch,
	...workspace.listSearch,
};

export const loadOptions = {
	...category.loadOptions,
	...categorySample.loadOptions,
	...file.loadOptions,
	...review.loadOptions,
	...workspace.loadOptions,
};
