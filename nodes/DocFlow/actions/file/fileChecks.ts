import type { IExecuteFunctions } from 'n8n-workflow';

import { TASK_TYPES, entryOf, recognitionStatus } from '../../transport/api.types';
import type { DocflowFile } from '../../transport/api.types';
import type { FoundFile } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';

/**
 * What the File operations that change a file's result (Update Result, Amend Category, Extract
 * Fields) refuse before anything is written, each error saying what the task is and what to do.
 */

/** "split part", "cropped image", "parent", "regular" */
function typeWord(file: DocflowFile): string {
	return entryOf(TASK_TYPES, file.task_type ?? 1)?.word ?? 'task';
}

/** The task's status as DocFlow's UI names it, e.g. “extracting”; else its number. */
export function statusName(file: DocflowFile): string {
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
