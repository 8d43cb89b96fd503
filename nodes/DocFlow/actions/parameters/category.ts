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
