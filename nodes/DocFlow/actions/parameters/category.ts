import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readId } from './ids';

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

/**
 * A field of the chosen category (a regular field or a table's column), from the list or by
 * ID. Its value is the field ID; the node finds out itself whether it is a table's column.
 */
export const categoryFieldLocator: INodeProperties = {
	displayName: 'Field',
	name: 'fieldId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A field of the chosen category: a regular field, or a column of one of its tables',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a field…',
			typeOptions: { searchListMethod: 'searchCategoryFields', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1234567890',
			hint: 'Category Field → Get Many shows each field’s ID (id)',
		},
	],
};

/** A table of the chosen category, from the list or by ID. Its value is the table ID. */
export const categoryTableLocator: INodeProperties = {
	displayName: 'Table',
	name: 'tableId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A table of the chosen category',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a table…',
			typeOptions: { searchListMethod: 'searchCategoryTables', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1234567890',
			hint: 'Category Table → Get Many shows each table’s ID (id)',
		},
	],
};

/** The workspace and category an item names (Workspace and Category locators). */
export interface CategoryRef {
	workspaceId: string;
	categoryId: string;
}

/** An item's Workspace and Category, checked. */
export function readCategory(ctx: IExecuteFunctions, itemIndex: number): CategoryRef {
	return {
		workspaceId: readId(ctx, 'workspace', itemIndex, 'Workspace', { locator: true }),
		categoryId: readId(ctx, 'categoryId', itemIndex, 'Category', { locator: true }),
	};
}
