import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fetchFiles, deleteFiles } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import type { Verification } from '../../transport/sendVerified';
import { toRfc3339 } from '../parameters/dates';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';

export const option = {
	name: 'Delete',
	description: 'Delete files and their results for good, by batch, task, file or update time',
	action: 'Delete files',
};

/** The ways to name what goes, each the body field DocFlow takes for it (in the panel's order). */
const BY_IDS: Record<string, { parameter: string; label: string; one: string; body: 'batch_number' | 'task_id' | 'file_id' }> = {
	batchNumber: { parameter: 'batchNumbers', label: 'Batch Numbers', one: 'batch number', body: 'batch_number' },
	fileId: { parameter: 'fileIds', label: 'File IDs', one: 'file ID', body: 'file_id' },
	taskId: { parameter: 'taskIds', label: 'Task IDs', one: 'task ID', body: 'task_id' },
};

/** The list of IDs for one way of naming what goes, shown when Delete By is that way. */
function idsParameter(deleteBy: string, { parameter, label, body }: (typeof BY_IDS)[string]): INodeProperties {
	return {
		displayName: label,
		name: parameter,
		type: 'string',
		default: '',
		required: true,
		placeholder: `e.g. {{ $json.${body} }}`,
		hint: `One or more, separated by commas or new lines, or an expression that returns a list. Upload and Fetch Batch output it as ${body}.`,
		displayOptions: { show: { deleteBy: [deleteBy] } },
	};
}

export const description: INodeProperties[] = [
	{
		displayName: 'Deleting a file removes it, its results and its review records from DocFlow for good',
		name: 'irreversibleNotice',
		type: 'notice',
		default: '',
	},
	workspaceLocator,
	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Batch Numbers', value: 'batchNumber', description: 'Every file of the batches' },
			{ name: 'File IDs', value: 'fileId', description: 'The files (a split or crop parent with its parts)' },
			{ name: 'Task IDs', value: 'taskId', description: 'The files of the tasks' },
			{
				name: 'Updated Time Range',
				value: 'timeRange',
				description: 'Every file of the workspace last updated between two times',
			},
		],
		default: 'batchNumber',
	},
	...Object.entries(BY_IDS).map(([deleteBy, by]) => idsParameter(deleteBy, by)),
	{
		displayName: 'Updated After',
		name: 'updatedAfter',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Delete files last updated at or after this time (to the second)',
		displayOptions: { show: { deleteBy: ['timeRange'] } },
	},
	{
		displayName: 'Updated Before',
		name: 'updatedBefore',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Delete files last updated at or before this time (to the second)',
		hint: 'Both times are required: the node refuses an open-ended range',
		displayOptions: { show: { deleteBy: ['timeRange'] } },
	},
	optionsCollection(),
];

/** What one item deletes: a list of IDs of one kind, or an update-time range (epoch seconds). */
type Target =
	| { kind: 'ids'; body: 'batch_number' | 'task_id' | 'file_id'; one: string; ids: string[] }
	| { kind: 'range'; start: number; end: number; startText: string; endText: string };

interface PreparedDelete {
	workspaceId: string;
	target: Target;
	options: IDataObject;
}

const ID_PATTERN = /^[0-9A-Za-z_-]+$/;

/**
 * A list of IDs from one parameter: text separated by commas, semicolons or line breaks, a
 * number, or a list from an expression. Every entry must look like an ID: an object mapped by
 * mistake ("[object Object]") would otherwise be sent as one.
 */
function readIds(ctx: IExecuteFunctions, itemIndex: number, by: (typeof BY_IDS)[string]): string[] {
	const node = ctx.getNode();
	const raw: unknown = ctx.getNodeParameter(by.parameter, itemIndex, '');
	const values = Array.isArray(raw) ? raw : [raw];
	const ids: string[] = [];
	for (const value of values) {
		if (typeof value === 'number' && !Number.isSafeInteger(value)) {
			throw itemError(node, `${by.label}: ${value} is a number too large to be exact`, {
				itemIndex,
				description: `Numbers above 2^53 lose their last digits in JavaScript, so this is no longer the real ${by.one}. Pass it as text: map DocFlow’s own output (it sends IDs as strings), or quote the value.`,
			});
		}
		if (typeof value !== 'string' && typeof value !== 'number') {
			throw itemError(node, `${by.label} must be IDs, but one of them is ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}`, {
				itemIndex,
				description: `Map the ${by.one} itself, e.g. {{ $json.${by.body} }}, or a list of them, e.g. {{ $json.items.map(i => i.${by.body}) }}.`,
			});
		}
		for (const part of String(value).split(/[\s,;]+/)) {
			if (part === '') continue;
			if (!ID_PATTERN.test(part)) {
				throw itemError(node, `${by.label}: “${part}” is not a ${by.one}`, {
					itemIndex,
					description: `A ${by.one} is letters and digits only, e.g. 1900016546621900038. Separate several with commas or new lines.`,
				});
			}
			if (!ids.includes(part)) ids.push(part);
		}
	}
	if (ids.length === 0) {
		throw itemError(node, `${by.label} is empty`, {
			itemIndex,
			description: `Give at least one ${by.one}, or map it from an earlier node (e.g. {{ $json.${by.body} }}). If it is mapped, the field it points to is empty for this item.`,
		});
	}
	return ids;
}

/** Both ends of the range, in epoch seconds; an empty, open-ended or reversed range is refused. */
function readRange(ctx: IExecuteFunctions, itemIndex: number): Target {
	const node = ctx.getNode();
	const after = toRfc3339(ctx, ctx.getNodeParameter('updatedAfter', itemIndex, ''), itemIndex, 'Updated After');
	const before = toRfc3339(ctx, ctx.getNodeParameter('updatedBefore', itemIndex, ''), itemIndex, 'Updated Before');
	if (after === undefined || before === undefined) {
		const missing = [after === undefined && 'Updated After', before === undefined && 'Updated Before'].filter(Boolean).join(' and ');
		throw itemError(node, `${missing} ${missing.includes(' and ') ? 'are' : 'is'} empty: the node does not delete by an open-ended time range`, {
			itemIndex,
			description:
				'Deleting is irreversible, so both ends of the range are required. Set Updated After and Updated Before, e.g. {{ $now.minus({ days: 31 }).toISO() }} and {{ $now.minus({ days: 30 }).toISO() }}.',
		});
	}
	const start = Date.parse(after) / 1000;
	const end = Date.parse(before) / 1000;
	if (start > end) {
		throw itemError(node, `Updated After (${after}) is later than Updated Before (${before})`, {
			itemIndex,
			description: 'Swap the two times: the range runs from Updated After to Updated Before.',
		});
	}
	return { kind: 'range', start, end, startText: after, endText: before };
}

/**
 * After a lost answer: the files named are gone (the delete arrived: done), or some are still
 * there (DocFlow did not delete them: the same delete is sent again, which deletes only what
 * it names). Reads only.
 */
async function checkGone(ctx: IExecuteFunctions, work: PreparedDelete, itemIndex: number): Promise<Verification> {
	const fetch = { itemIndex, limit: 1, retry: retrySettingsFrom(work.options) };
	const { target, workspaceId } = work;
	if (target.kind === 'range') {
		const left = await fetchFiles(ctx, { workspace_id: workspaceId, start_time: target.startText, end_time: target.endText }, fetch);
		return left.length === 0 ? 'received' : 'resend';
	}
	for (const id of target.ids) {
		const left = await fetchFiles(ctx, { workspace_id: workspaceId, [target.body]: id }, fetch);
		if (left.length > 0) return 'resend';
	}
	return 'received';
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem<PreparedDelete>(this, {
		prepare: async (itemIndex) => {
			const deleteBy = this.getNodeParameter('deleteBy', itemIndex, 'batchNumber') as string;
			const by = BY_IDS[deleteBy];
			return {
				workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
				target: by ? { kind: 'ids', body: by.body, one: by.one, ids: readIds(this, itemIndex, by) } : readRange(this, itemIndex),
				options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			};
		},
		known: ({ workspaceId, target }) => ({ workspace_id: workspaceId, ...asked(target) }),
		run: async (work, itemIndex) => {
			const { workspaceId, target, options } = work;
			const body: IDataObject & { workspace_id: string } = { workspace_id: workspaceId };
			if (target.kind === 'ids') body[target.body] = target.ids;
			else {
				body.start_time = target.start;
				body.end_time = target.end;
			}
			let verified = false;
			const answer = await deleteFiles(this, body, { itemIndex, retry: retrySettingsFrom(options) }, async () => {
				const outcome = await checkGone(this, work, itemIndex);
				verified = outcome === 'received';
				return outcome;
			});
			const json: IDataObject = { workspace_id: workspaceId, ...asked(target), deleted: true };
			if (typeof answer?.deleted_count === 'number') json.deleted_count = answer.deleted_count;
			else if (verified) {
				// DocFlow's answer (and its count) got lost; the files are gone, which is what was asked.
				json.deleted_count = null;
				json.note = 'DocFlow’s answer got lost; the node checked that the files are gone';
			}
			return [{ json, pairedItem: { item: itemIndex } }];
		},
	});
}

/** What an item asked to delete, in DocFlow's own names (the range also as readable times). */
function asked(target: Target): IDataObject {
	if (target.kind === 'ids') return { [target.body]: target.ids };
	return {
		start_time: target.start,
		end_time: target.end,
		updated_after: target.startText,
		updated_before: target.endText,
	};
}
