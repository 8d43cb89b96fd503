import type { INodeProperties } from 'n8n-workflow';

/** A file category of the chosen workspace, by name (what DocFlow's `category` takes). */
export function categoryPicker(description: string): INodeProperties {
	return {
		displayName: 'Category Name or ID',
		name: 'category',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getCategories',
			loadOptionsDependsOn: ['workspace.value'],
		},
		default: '',
		description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

/**
 * A category the user picks for the Category resources: from the workspace's list (searchable,
 * every state: enabled, disabled, draft), or by ID. Its value is the category ID.
 */
export const categoryLocator: INodeProperties = {
	displayName: 'Category',
	name: 'categoryId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The file category of the chosen workspace',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a category…',
			typeOptions: { searchListMethod: 'searchCategories', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1234567890',
			hint: 'Category/list (or Get Many of the Category resource) shows each category’s ID',
		},
	],
};
