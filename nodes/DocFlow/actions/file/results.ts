import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem, itemConcurrencyFrom } from '../../helpers/itemConcurrency';
import { errorItem, withItemIndex } from '../../helpers/itemErrors';
import { TASK_TYPES, entryOf, recognitionStatus } from '../../transport/api.types';
import type { DocflowFile } from '../../transport/api.types';
import { cancelSignalOf, isCancellation, throwIfCancelled } from '../../transport/cancellation';
import { itemError } from '../../transport/errors';
import type { FoundFile } from '../../transport/endpoints/file';
import { runPerItem } from '../runPerItem';

/**
 * What the File operations that change a file's result share (Update Result, Amend Category,
 * Extract Fields): how a task or file is picked, what is refused before anything is written,
 * and the round of checks that runs for every item before any write.
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

/** "split part", "cropped image", "parent", "regular" */
function typeWord(file: DocflowFile): string {
	return entryOf(TASK_TYPES, file.task_type ?? 1)?.word ?? 'task';
}

function statusName(file: DocflowFile): string {
	return recognitionStatus(file.recognition_status)?.name ?? `status ${String(file.recognition_status)}`;
}

/** The parts of a split or crop parent, as “task 123 (name.pdf)”. */
export function partsOf(file: DocflowFile, id: 'task_id' | 'id'): string {
	const children = Array.isArray(file.child_files) ? file.child_files : [];
	return children.map((child) => `${child?.[id] ?? '?'} (${child?.name ?? ''})`).join(', ');
}

/** The error for a task or file the workspace does not have. */
export function notFoundError(
	ctx: IExecuteFunctions,
	what: { label: 'Task' | 'File'; id: string; workspaceId: string },
	itemIndex: number,
) {
	return itemError(ctx.getNode(), `${what.label} ${what.id} was not found in workspace ${what.workspaceId}`, {
		itemIndex,
		description: `Check the ${what.label} ID (Upload and Fetch Batch output it as ${what.label === 'Task' ? 'task_id' : 'file_id'}) and that it belongs to this workspace; a deleted file is gone for good.`,
	});
}

/**
 * A split or crop parent holds no result of its own (its parts do): the error names the parts
 * to work on instead.
 */
export function assertNotParent(
	ctx: IExecuteFunctions,
	{ file }: FoundFile,
	what: { label: 'Task' | 'File'; operation: string },
	itemIndex: number,
): void {
	if (file.task_type !== 2) return;
	const id = what.label === 'Task' ? 'task_id' : 'id';
	const parts = partsOf(file, id);
	throw itemError(
		ctx.getNode(),
		`${what.label} ${String(what.label === 'Task' ? file.task_id : file.id)} is a split or crop parent: its parts hold the extracted results`,
		{
			itemIndex,
			description: parts
				? `Run ${what.operation} on a part instead: ${what.label.toLowerCase()} IDs ${parts}.`
				: `Run ${what.operation} on one of its parts (Fetch Batch lists them in child_files) once DocFlow has finished it.`,
		},
	);
}

/**
 * The task must be finished: with a result to change (success, or failed for extraction), and
 * not still being processed. The error says what the task is and what to do.
 */
export function assertFinished(
	ctx: IExecuteFunctions,
	file: DocflowFile,
	allowed: number[],
	what: { label: 'Task' | 'File'; operation: string },
	itemIndex: number,
): void {
	const status = file.recognition_status;
	if (allowed.includes(status)) return;
	const id = String(what.label === 'Task' ? file.task_id : file.id);
	const node = ctx.getNode();
	if (status === 10) {
		throw itemError(node, `${what.label} ${id} was only classified (Target Process “Classify Only”): it has no extracted result`, {
			itemIndex,
			description: 'Upload the document again with Target Process “Classify and Extract”, then run this on the new task.',
		});
	}
	if (status === 2) {
		throw itemError(node, `DocFlow could not process ${what.label.toLowerCase()} ${id} (${typeWord(file)}): it has no result to change`, {
			itemIndex,
			description: `Process it again with the Retry operation first${file.failure_causes ? ` (DocFlow said: ${String(file.failure_causes)})` : ''}, then run ${what.operation}.`,
		});
	}
	throw itemError(node, `${what.label} ${id} is still being processed (${statusName(file)}); ${what.operation} needs a finished one`, {
		itemIndex,
		description: 'Wait until DocFlow has finished it (Fetch Batch shows status “success”), e.g. with Upload’s Wait for Completion, then run this again.',
	});
}

/** What an operation that changes files in DocFlow does per item, in three rounds. */
export interface CheckedWrites<P, C> {
	/** Reads and checks the item's parameters; sends nothing (see runPerItem). */
	prepare: (itemIndex: number) => Promise<P>;
	/**
	 * Reads what DocFlow has (the file, the task, the workspace's categories) and checks the item
	 * against it; writes nothing. Runs for every item before `write` runs for any.
	 */
	check: (prepared: P, itemIndex: number) => Promise<C>;
	/** The change itself, and the item's output. */
	write: (checked: C, itemIndex: number) => Promise<INodeExecutionData[]>;
	/** What an error item of this item shows besides the error (workspace, task…). */
	known?: (prepared: P) => IDataObject;
	/** After every write: may replace items' output (Wait for Completion). */
	finish?: (outputByItem: Map<number, INodeExecutionData[]>) => Promise<void>;
}

/**
 * Some bad inputs show only against what DocFlow has: a field name the file does not have, a
 * category the workspace does not have, a task still being processed. Those checks need reads,
 * which runPerItem's `prepare` does not make, so they run in a round of their own: first every
 * item's parameters (prepare), then every item's reads and checks, and only then any write.
 * A bad item 7 therefore stops the node before items 0–6 have changed anything in DocFlow
 * (reads are harmless); with Continue On Fail it becomes an error item and the others are
 * written. Writes keep the Batching option's concurrency, and their failures are handled as
 * runPerItem handles any item's.
 */
export async function runCheckedWrites<P, C>(
	ctx: IExecuteFunctions,
	work: CheckedWrites<P, C>,
): Promise<INodeExecutionData[]> {
	const checked = new Map<number, { prepared: P; checked: C }>();
	return await runPerItem<P>(ctx, {
		prepare: work.prepare,
		known: work.known,
		run: async (prepared, itemIndex) => {
			checked.set(itemIndex, { prepared, checked: await work.check(prepared, itemIndex) });
			// The output comes with the write (below).
			return [];
		},
		finish: async (outputByItem) => {
			const node = ctx.getNode();
			const signal = cancelSignalOf(ctx);
			const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
			const count = ctx.getInputData().length;
			await forEachItem(
				count,
				itemConcurrencyFrom(options),
				async (itemIndex) => {
					const item = checked.get(itemIndex);
					if (!item) return;
					try {
						outputByItem.set(itemIndex, await work.write(item.checked, itemIndex));
					} catch (error) {
						if (isCancellation(error) || !ctx.continueOnFail()) throw withItemIndex(node, error as Error, itemIndex);
						outputByItem.set(itemIndex, [errorItem(node, error as Error, itemIndex, work.known?.(item.prepared))]);
					}
				},
				signal,
			);
			throwIfCancelled(ctx, signal);
			await work.finish?.(outputByItem);
		},
	});
}
