import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CategoryRef } from '../../transport/endpoints/categorySample';
import { itemError } from '../../transport/errors';
import { readId } from '../parameters/ids';

/** The Category Sample resource's own parameters and their readers: which category, which samples. */

/** The workspace and category of an item, as every Category Sample operation reads them. */
export function readCategoryRef(ctx: IExecuteFunctions, itemIndex: number): CategoryRef {
	return {
		workspaceId: readId(ctx, 'workspace', itemIndex, 'Workspace', { locator: true }),
		categoryId: readId(ctx, 'categoryId', itemIndex, 'Category', { locator: true }),
	};
}

/** What an error item of a Category Sample operation shows besides the error. */
export function knownOf(ref: CategoryRef): IDataObject {
	return { workspace_id: ref.workspaceId, category_id: ref.categoryId };
}

/** A sample of the chosen category: from its list (searchable), or by ID. */
export const sampleLocator: INodeProperties = {
	displayName: 'Sample',
	name: 'sampleId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The sample of the chosen category',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a sample…',
			typeOptions: { searchListMethod: 'searchCategorySamples', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1234567890',
			hint: 'Category Sample → Get Many (or Upload) outputs each sample’s sample_id',
		},
	],
};

/**
 * Sample IDs from a parameter that takes several: the editor's list of chosen samples, or an
 * expression giving a list or text (separated by commas, spaces or lines). Each ID is checked
 * as readId checks one: an ID above 2^53 given as a JSON number is already wrong.
 */
export function readSampleIds(ctx: IExecuteFunctions, parameter: string, itemIndex: number, label: string): string[] {
	const raw: unknown = ctx.getNodeParameter(parameter, itemIndex, []);
	const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [raw];
	const ids: string[] = [];
	for (const value of values) {
		if (typeof value === 'number' && !Number.isSafeInteger(value)) {
			throw itemError(ctx.getNode(), `${label}: ${value} is a number too large to be exact`, {
				itemIndex,
				description:
					'Numbers above 2^53 lose their last digits in JavaScript, so this is no longer the real sample ID. Pass IDs as text: map DocFlow’s own output (sample_id is a string), or quote the value.',
			});
		}
		if (typeof value !== 'string' && typeof value !== 'number') {
			const what = value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
			throw itemError(ctx.getNode(), `${label} must be sample IDs, but it holds ${what}`, {
				itemIndex,
				description: 'Map the sample_id field of Get Many’s output, e.g. {{ $json.sample_id }}, or a list of such IDs.',
			});
		}
		const id = String(value).trim();
		if (id !== '' && !ids.includes(id)) ids.push(id);
	}
	if (ids.length === 0) {
		throw itemError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Choose at least one sample in ${label}, or map sample IDs from Category Sample → Get Many. To take every sample of the category, set Samples to “All Samples”.`,
		});
	}
	return ids;
}
