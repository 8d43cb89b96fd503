import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AmendCategoryBody } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import { readText } from './textValue';

/** What one Amend Category item asks for: the body of file/amend_category, read from its parameters and checked. */

export type Mode = 'regular' | 'split' | 'crop';

export interface PreparedAmend {
	workspaceId: string;
	taskId: string;
	mode: Mode;
	body: AmendCategoryBody;
	options: IDataObject;
}

function readCategory(ctx: IExecuteFunctions, value: unknown, where: string, itemIndex: number): string {
	const category = readText(ctx, value, `The category ${where}`, itemIndex);
	if (category === '') {
		throw itemError(ctx.getNode(), `The category ${where} is empty`, {
			itemIndex,
			description: 'Choose the new category from the list (the workspace’s enabled categories), or give its name.',
		});
	}
	return category;
}

/** "1-2, 4" (pages as people count them) → [0, 1, 3] (as DocFlow counts them). */
function readPages(ctx: IExecuteFunctions, value: unknown, part: number, itemIndex: number): number[] {
	const raw = Array.isArray(value) ? value.join(',') : readText(ctx, value, `The pages of part ${part}`, itemIndex);
	const pages: number[] = [];
	const fail = (why: string) =>
		itemError(ctx.getNode(), `The pages of part ${part} ${why}`, {
			itemIndex,
			description: 'Give the pages of the original file as people count them (the first page is 1): single pages and ranges, separated by commas, e.g. 1-2, 4.',
		});
	for (const token of raw.split(',').map((t) => t.trim()).filter(Boolean)) {
		const match = /^(\d+)\s*(?:-\s*(\d+))?$/.exec(token);
		if (!match) throw fail(`are not page numbers: “${token}”`);
		const from = Number(match[1]);
		const to = match[2] !== undefined ? Number(match[2]) : from;
		if (from < 1 || to < from) throw fail(`hold an impossible range: “${token}”`);
		for (let page = from; page <= to; page++) if (!pages.includes(page - 1)) pages.push(page - 1);
	}
	if (pages.length === 0) throw fail('are empty');
	return pages;
}

/** The body of one item: what the chosen task type takes, checked as far as it can be without DocFlow. */
export function readBody(ctx: IExecuteFunctions, itemIndex: number, mode: Mode, workspaceId: string, taskId: string): AmendCategoryBody {
	const node = ctx.getNode();
	const body: AmendCategoryBody = { workspace_id: workspaceId, task_id: taskId };
	if (mode === 'regular') {
		body.category = readCategory(ctx, ctx.getNodeParameter('category', itemIndex, ''), 'to give the file', itemIndex);
		return body;
	}
	if (mode === 'split') {
		const parts = (ctx.getNodeParameter('splitTasks', itemIndex, {}) as { part?: IDataObject[] }).part ?? [];
		if (parts.length === 0) {
			throw itemError(node, 'No part is given: a split file needs every part listed', {
				itemIndex,
				description: 'Add a part under Parts for every part the file should have, with its category and pages.',
			});
		}
		const owner = new Map<number, number>();
		body.split_tasks = parts.map((entry, i) => {
			const pages = readPages(ctx, entry.pages, i + 1, itemIndex);
			for (const page of pages) {
				const other = owner.get(page);
				if (other !== undefined) {
					throw itemError(node, `Page ${page + 1} is in part ${other} and in part ${i + 1}`, {
						itemIndex,
						description: 'A page belongs to one part only: give it to one of them.',
					});
				}
				owner.set(page, i + 1);
			}
			return { category: readCategory(ctx, entry.category, `of part ${i + 1}`, itemIndex), pages };
		});
		return body;
	}
	const images = (ctx.getNodeParameter('cropTasks', itemIndex, {}) as { image?: IDataObject[] }).image ?? [];
	if (images.length === 0) {
		throw itemError(node, 'No image is given', {
			itemIndex,
			description: 'Add an image under Images: its task ID (from the file’s child_files) and its new category.',
		});
	}
	const seen = new Set<string>();
	body.crop_tasks = images.map((entry, i) => {
		const childId = readText(ctx, entry.taskId, `The task ID of image ${i + 1}`, itemIndex);
		if (!/^[0-9A-Za-z_-]+$/.test(childId)) {
			throw itemError(node, childId === '' ? `The task ID of image ${i + 1} is empty` : `The task ID of image ${i + 1} is not an ID: “${childId}”`, {
				itemIndex,
				description: 'Give the cropped image’s own task ID, as Fetch Batch lists it in the file’s child_files.',
			});
		}
		if (seen.has(childId)) {
			throw itemError(node, `Image ${childId} is listed twice`, { itemIndex, description: 'List every image once, with its new category.' });
		}
		seen.add(childId);
		return { crop_child_task_id: childId, category: readCategory(ctx, entry.category, `of image ${childId}`, itemIndex) };
	});
	return body;
}
