import type { CategoryRef } from '../../transport/endpoints/categorySample';
import { DocflowApiError } from '../../transport/errors';

/**
 * DocFlow's refusal of a category or a sample it does not have, in words that say what to do:
 * its code, message and trace ID stay in the message, and on the error for the error item.
 */
export function explainRefusal(error: unknown, ref: CategoryRef): unknown {
	if (!(error instanceof DocflowApiError)) return error;
	const { code, httpStatus, msg = '' } = error.docflow;
	if (code === undefined || httpStatus !== 200) return error;
	const refused = /^DocFlow refused the request to \S+/;
	if (!refused.test(error.message)) return error;
	if (/sample|样本/i.test(msg)) {
		error.message = error.message.replace(refused, `DocFlow refused the samples of category ${ref.categoryId}`);
		error.description =
			'A sample ID is not (or no longer) in this category, or the category’s sample limits were reached. Category Sample → Get Many lists the category’s samples with their IDs.';
	} else if (/categor|类别|分类/i.test(msg)) {
		error.message = error.message.replace(refused, `DocFlow does not know category ${ref.categoryId} in workspace ${ref.workspaceId}`);
		error.description =
			'Pick the Category from the list, or check its ID: Category → Get Many lists the workspace’s categories with their IDs. A category of another workspace is not found here.';
	}
	return error;
}
