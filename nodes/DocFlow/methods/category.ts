import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listCategories } from '../transport/endpoints/category';

const PAGE_SIZE = 100;

/** Category picker: the enabled file categories of the chosen workspace. */
async function getCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const workspaceId = String(
		this.getCurrentNodeParameter('workspace', { extractValue: true }) ?? '',
	).trim();
	if (workspaceId === '' || workspaceId.startsWith('=')) {
		throw new NodeOperationError(this.getNode(), 'Choose a workspace first to list its categories', {
			description:
				'Categories belong to a workspace. Pick the Workspace above, or type the category name with an expression.',
		});
	}
	const options: INodePropertyOptions[] = [
		{ name: 'Let DocFlow Classify', value: '', description: 'No category: DocFlow decides per file' },
	];
	for (let page = 1; page <= 20; page++) {
		const result = await listCategories(
			this,
			{ workspaceId, page, pageSize: PAGE_SIZE, enabled: '1' },
			{ maxAttempts: 2, timeoutMs: 20_000 },
		);
		const categories = Array.isArray(result?.categories) ? result.categories : [];
		for (const category of categories) {
			options.push({ name: category.name, value: category.name, description: category.description });
		}
		if (categories.length < PAGE_SIZE || options.length - 1 >= (result?.total ?? 0)) break;
	}
	return options;
}

/** The pickers of the Category resources (and of Upload's and Fetch Batch's Category). */
export const listSearch = {};
export const loadOptions = { getCategories };
