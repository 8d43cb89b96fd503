import type { IExecuteFunctions } from 'n8n-workflow';

import { isFinalStatus } from '../../transport/api.types';
import type { AmendCategoryBody, DocflowFile } from '../../transport/api.types';
import type { FoundFile } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import type { Mode, PreparedAmend } from './amendCategoryBody';
import { assertFinished, partsOf } from './fileChecks';

/**
 * The task as DocFlow shows it, for Amend Category: checked against what the item asks before
 * anything is written, and compared after a lost answer to tell whether the change arrived.
 */

const children = (file: DocflowFile) => (Array.isArray(file.child_files) ? file.child_files.filter((c) => c && typeof c === 'object') : []);
const pageNumbers = (file: DocflowFile) =>
	(Array.isArray(file.pages) ? file.pages : []).map((p) => (typeof p === 'number' ? p : Number((p as { page?: unknown })?.page)));

/** What the task is, against what the chosen Task Type says it is. */
function kindOf(file: DocflowFile): Mode | 'split part' | 'cropped image' {
	if (file.task_type === 0) return 'split part';
	if (file.task_type === 3) return 'cropped image';
	if (file.task_type !== 2) return 'regular';
	return children(file).some((c) => c.task_type === 3) ? 'crop' : 'split';
}

const KIND_WORDS: Record<Mode, string> = { regular: 'a regular task', split: 'a split parent', crop: 'a crop parent' };
const TYPE_NAMES: Record<Mode, string> = { regular: 'Regular', split: 'Split Parent', crop: 'Crop Parent' };

/** Checks the task and the categories against DocFlow; nothing is written here. */
export async function checkTask(
	ctx: IExecuteFunctions,
	amend: PreparedAmend,
	found: FoundFile,
	categories: string[],
	itemIndex: number,
): Promise<void> {
	const node = ctx.getNode();
	const { file } = found;
	const { taskId, mode, body } = amend;
	const kind = kindOf(file);
	if (kind === 'split part' || kind === 'cropped image') {
		const parent = file.parent_task_id && file.parent_task_id !== '0' ? file.parent_task_id : found.parent?.task_id;
		throw itemError(node, `Task ${taskId} is a ${kind} of ${parent ? `task ${parent}` : 'a parent task'}; DocFlow amends the categories of parts through their parent`, {
			itemIndex,
			description: `Run Amend Category on the parent${parent ? ` (Task ${parent})` : ''} with Task Type “${kind === 'split part' ? 'Split Parent' : 'Crop Parent'}”, listing ${kind === 'split part' ? 'every part' : 'this image'} with its category.`,
		});
	}
	// A parent whose parts are not there yet cannot tell split from crop: DocFlow decides.
	const knownKind = !(file.task_type === 2 && children(file).length === 0);
	if (knownKind && kind !== mode) {
		throw itemError(node, `Task ${taskId} is ${KIND_WORDS[kind as Mode]}, but Task Type is “${TYPE_NAMES[mode]}”`, {
			itemIndex,
			description: `Set Task Type to “${TYPE_NAMES[kind as Mode]}”${kind === 'regular' ? ' and choose the new category' : kind === 'split' ? ' and list every part with its pages and category' : ' and list the images with their categories'}.`,
		});
	}
	if (!isFinalStatus(file.recognition_status)) {
		assertFinished(ctx, file, [], { label: 'Task', operation: 'Amend Category' }, itemIndex);
	}
	const asked = [body.category, ...(body.split_tasks ?? []).map((p) => p.category), ...(body.crop_tasks ?? []).map((c) => c.category)]
		.filter((c): c is string => c !== undefined);
	const unknown = [...new Set(asked)].filter((c) => !categories.includes(c));
	if (unknown.length > 0) {
		throw itemError(
			node,
			`The workspace has no enabled category ${unknown.map((c) => `“${c}”`).join(', ')}; its categories are ${categories.length > 0 ? categories.map((c) => `“${c}”`).join(', ') : 'none'}`,
			{
				itemIndex,
				description: 'Choose the category from the list. Names must match exactly (case included); a disabled or draft category cannot be given to a file.',
			},
		);
	}
	if (mode === 'split' && typeof file.total_page_num === 'number') {
		const pages = file.total_page_num;
		const beyond = (body.split_tasks ?? []).flatMap((p) => p.pages).filter((page) => page >= pages);
		if (beyond.length > 0) {
			throw itemError(node, `Task ${taskId} has ${pages} page${pages === 1 ? '' : 's'}; page ${beyond[0] + 1} does not exist`, {
				itemIndex,
				description: `Give pages from 1 to ${pages}.`,
			});
		}
	}
	if (mode === 'crop' && knownKind) {
		const images = children(file).filter((c) => c.task_type === 3);
		const missing = (body.crop_tasks ?? []).map((c) => c.crop_child_task_id).filter((id) => !images.some((c) => c.task_id === id));
		if (missing.length > 0) {
			throw itemError(node, `Task ${taskId} has no cropped image ${missing.join(', ')}; its images are ${partsOf(file, 'task_id')}`, {
				itemIndex,
				description: 'Give the images’ own task IDs, as the file’s child_files lists them.',
			});
		}
	}
}

/** How the task looks now, for the lost-answer check: its category and its parts'. */
export function snapshot(file: DocflowFile): string {
	return JSON.stringify({
		category: file.category,
		parts: children(file).map((c) => [c.task_id, c.category, pageNumbers(c)]),
	});
}

/** Whether DocFlow shows what the body asked for. */
export function showsAmendment(file: DocflowFile, body: AmendCategoryBody): boolean {
	if (body.category !== undefined) return file.category === body.category;
	if (body.split_tasks) {
		const parts = children(file);
		return (
			parts.length === body.split_tasks.length &&
			body.split_tasks.every((asked, i) => parts[i]?.category === asked.category && JSON.stringify(pageNumbers(parts[i])) === JSON.stringify(asked.pages))
		);
	}
	const parts = children(file);
	return (body.crop_tasks ?? []).every((asked) => parts.find((c) => c.task_id === asked.crop_child_task_id)?.category === asked.category);
}
