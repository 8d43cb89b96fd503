import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { itemError } from '../../transport/errors';

/** Workspace, as every operation asks for it: picked from a list, or typed in. */
export const workspaceLocator: INodeProperties = {
	displayName: 'Workspace',
	name: 'workspace',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The DocFlow workspace the documents belong to',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a workspace…',
			typeOptions: {
				searchListMethod: 'searchWorkspaces',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1234567890',
			hint: 'In DocFlow: workspace list → More Actions → Settings shows the Workspace ID',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[0-9A-Za-z_-]+\\s*$',
						errorMessage: 'A Workspace ID is letters and digits only, e.g. 1234567890',
					},
				},
			],
		},
	],
};

function describeValue(value: unknown): string {
	if (Array.isArray(value)) return `a list of ${value.length} values`;
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * One ID (Workspace ID, Task ID, Batch Number…) from a parameter, as a trimmed string.
 * An expression that yields a list or an object, or nothing at all, is the commonest mapping
 * mistake, so the error says which item and what to map instead.
 */
export function readId(
	ctx: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	label: string,
	{ locator = false, optional = false } = {},
): string {
	const raw: unknown = ctx.getNodeParameter(
		parameter,
		itemIndex,
		'',
		locator ? { extractValue: true } : undefined,
	);
	if (typeof raw === 'number' && Number.isSafeInteger(raw)) return String(raw);
	if (typeof raw === 'number') {
		// DocFlow's IDs have 19 digits: as a JSON number, JavaScript has already rounded them.
		throw itemError(ctx.getNode(), `${label} ${raw} is a number too large to be exact`, {
			itemIndex,
			description: `Numbers above 2^53 lose their last digits in JavaScript, so this is no longer the real ${label}. Pass it as text: map DocFlow’s own output (it sends IDs as strings), or quote the value.`,
		});
	}
	if (raw !== undefined && raw !== null && typeof raw !== 'string') {
		throw itemError(ctx.getNode(), `${label} must be one value, but it is ${describeValue(raw)}`, {
			itemIndex,
			description: `Map a single field into ${label}, e.g. {{ $json.task_id }}. To handle several values, split them into separate items first (Split Out node).`,
		});
	}
	const value = (raw ?? '').trim();
	if (value === '' && !optional) {
		throw itemError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Set ${label}, or map it from an earlier node (e.g. the output of a DocFlow Upload). If it is mapped, the field it points to is empty for this item.`,
		});
	}
	return value;
}
