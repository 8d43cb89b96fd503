import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { listCategorySamples } from '../transport/endpoints/categorySample';
import type { CategoryRef } from '../transport/endpoints/categorySample';
import { PICKER_RETRY } from './pickerRetry';

function chosen(ctx: ILoadOptionsFunctions, parameter: string): string {
	const value = String(ctx.getCurrentNodeParameter(parameter, { extractValue: true }) ?? '').trim();
	// An expression is only resolved when the node runs: the editor cannot list by it.
	return value.startsWith('=') ? '' : value;
}

/** The workspace and category chosen above the picker; samples belong to one category. */
function chosenCategory(ctx: ILoadOptionsFunctions): CategoryRef {
	const workspaceId = chosen(ctx, 'workspace');
	const categoryId = chosen(ctx, 'categoryId');
	if (workspaceId === '' || categoryId === '') {
		throw new NodeOperationError(ctx.getNode(), 'Choose a workspace and a category first to list their samples', {
			description:
				'Samples belong to a file category of a workspace. Pick the Workspace and the Category above, or give the sample by ID.',
		});
	}
	return { workspaceId, categoryId };
}

/**
 * Sample locator: the category's samples, searchable by file name or ID. A category has at most
 * 20, so all pages are read at once and searched here (no page token to get wrong when DocFlow
 * gives fewer per page than asked).
 */
async function searchCategorySamples(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const samples = await listCategorySamples(this, chosenCategory(this), { retry: PICKER_RETRY });
	const needle = filter?.trim().toLowerCase();
	return {
		results: samples
			.filter((s) => !needle || String(s.file_name).toLowerCase().includes(needle) || String(s.sample_id).includes(needle))
			.map((s) => ({ name: String(s.file_name), value: String(s.sample_id) })),
	};
}

/** Samples to choose several of (Download's Chosen Samples): all of the category's, by file name. */
async function getCategorySamples(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const samples = await listCategorySamples(this, chosenCategory(this), { retry: PICKER_RETRY });
	return samples.map((s) => ({ name: String(s.file_name), value: String(s.sample_id), description: `ID ${s.sample_id}` }));
}

/** The pickers of the Category Sample resource. */
export const listSearch = { searchCategorySamples };
export const loadOptions = { getCategorySamples };
