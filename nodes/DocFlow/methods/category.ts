import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { listCategories } from '../transport/endpoints/category';

const PAGE_SIZE = 100;

/** The workspace chosen above the picker; categories belong to one. */
function chosenWorkspace(ctx: ILoadOptionsFunctions): string {
	const workspaceId = String(ctx.getCurrentNodeParameter('workspace', { extractValue: true }) ?? '').trim();
	if (workspaceId === '' || workspaceId.startsWith('=')) {
		throw new NodeOperationError(ctx.getNode(), 'Choose a workspace first to list its categories', {
			description:
				'Categories belong to a workspace. Pick the Workspace above, or give the category with an expression.',
		});
	}
	return workspaceId;
}

/** Category picker: the enabled file categories of the chosen workspace, by name. */
async function getCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const workspaceId = chosenWorkspace(this);
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

/** Category locator (Category resources): every category of the workspace, by ID, searchable. */
async function searchCategories(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const workspaceId = chosenWorkspace(this);
	const page = paginationToken ? Number(paginationToken) : 1;
	const result = await listCategories(
		this,
		{ workspaceId, page, pageSize: PAGE_SIZE, enabled: 'all' },
		{ maxAttempts: 2, timeoutMs: 20_000 },
	);
	const categories = Array.isArray(result?.categories) ? result.categories : [];
	const needle = filter?.trim().toLowerCase();
	return {
		results: categories
			.filter((c) => !needle || c.name.toLowerCase().includes(needle) || String(c.id).includes(needle))
			.map((c) => ({ name: c.name, value: String(c.id), description: c.description })),
		paginationToken: page * PAGE_SIZE < (result?.total ?? 0) ? String(page + 1) : undefined,
	};
}

/** The pickers of the Category resources (and of Upload's and Fetch Batch's Category). */
export const listSearch = { searchCategories };
export const loadOptions = { getCategories };
