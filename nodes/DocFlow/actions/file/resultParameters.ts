import type { INodeProperties } from 'n8n-workflow';

/**
 * The parameters of the File operations that change a file's result (Update Result, Amend
 * Category, Extract Fields): the task or file they work on, picked from the workspace's recent
 * files or by ID, and a table of its result by name.
 */

function idLocator(kind: 'task' | 'file'): INodeProperties {
	const label = kind === 'task' ? 'Task' : 'File';
	return {
		displayName: label,
		name: kind,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			kind === 'task'
				? 'The processing task: a regular task, or a split part or cropped image'
				: 'The file whose result to change: a regular file, or a split part or cropped image',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${kind}…`,
				typeOptions: { searchListMethod: kind === 'task' ? 'searchTasks' : 'searchFiles', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: kind === 'task' ? 'e.g. {{ $json.task_id }}' : 'e.g. {{ $json.file_id }}',
				hint: `Upload and Fetch Batch output it as ${kind === 'task' ? 'task_id' : 'file_id'}; split parts and cropped images have their own`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*[0-9A-Za-z_-]+\\s*$',
							errorMessage: `A ${label} ID is letters and digits only, e.g. 1900016546621900038`,
						},
					},
				],
			},
		],
	};
}

/** The task an operation works on: picked from the workspace's recent files, or by ID. */
export const taskLocator = idLocator('task');
/** The file an operation works on: picked from the workspace's recent files, or by ID. */
export const fileLocator = idLocator('file');

/** A table of the file's result, by the name its output shows (`description` says which output). */
export function tableNameField(description: string): INodeProperties {
	return {
		displayName: 'Table Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Goods Details',
		description,
	};
}
