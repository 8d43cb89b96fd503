import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import type { CategoryField, CategoryFieldsResult } from '../transport/api.types';
import { listAllCategories, listCategories } from '../transport/endpoints/category';
import { listCategoryFields } from '../transport/endpoints/categoryFields';
import { listCategoryTables } from '../transport/endpoints/categoryTables';

const PAGE_SIZE = 100;

/** Pickers answer fast or not at all: the editor waits on them. */
const PICKER_RETRY = { maxAttempts: 2, timeoutMs: 20_000 };

/** The workspace chosen above the picker; categories belong to one. */
function chosenWorkspace(ctx: ILoadOptionsFunctions): string {
	const workspaceId = String(ctx.getCurrentNodeParameter('workspace', { extractValue: true }) ?? '').trim();
	if (workspaceId === '' || workspaceId.startsWith('=')) {
		throw new NodeOperationError(ctx.getNode(), 'Choose a workspace first to list its categories', {
			description:
				'Categories belong to a workspace. Pick the Workspace above, or give the category with an expression.',
		});
	}
	return workspaceId;
}

/** Category picker: the enabled file categories of the chosen workspace, by name. */
async function getCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const workspaceId = chosenWorkspace(this);
	const options: INodePropertyOptions[] = [
		{ name: 'Let DocFlow Classify', value: '', description: 'No category: DocFlow decides per file' },
	];
	for (let page = 1; page <= 20; page++) {
		const result = await listCategories(this, { workspaceId, page, pageSize: PAGE_SIZE, enabled: '1' }, PICKER_RETRY);
		const categories = Array.isArray(result?.categories) ? result.categories : [];
		for (const category of categories) {
			options.push({ name: category.name, value: category.name, description: category.description });
		}
		if (categories.length < PAGE_SIZE || options.length - 1 >= (result?.total ?? 0)) break;
	}
	return options;
}

/** Category locator (Category resources): every category of the workspace, by ID, searchable. */
async function searchCategories(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const workspaceId = chosenWorkspace(this);
	const page = paginationToken ? Number(paginationToken) : 1;
	const result = await listCategories(this, { workspaceId, page, pageSize: PAGE_SIZE, enabled: 'all' }, PICKER_RETRY);
	const categories = Array.isArray(result?.categories) ? result.categories : [];
	const needle = filter?.trim().toLowerCase();
	return {
		results: categories
			.filter((c) => !needle || c.name.toLowerCase().includes(needle) || String(c.id).includes(needle))
			.map((c) => ({ name: c.name, value: String(c.id), description: c.description })),
		paginationToken: page * PAGE_SIZE < (result?.total ?? 0) ? String(page + 1) : undefined,
	};
}

function parameterText(ctx: ILoadOptionsFunctions, name: string, extractValue = false): string {
	let value: unknown;
	try {
		value = ctx.getCurrentNodeParameter(name, extractValue ? { extractValue: true } : undefined);
	} catch {
		// Extracting needs the parameter's definition in the current operation; read it as stored.
		try {
			value = ctx.getCurrentNodeParameter(name);
		} catch {
			return '';
		}
	}
	if (typeof value === 'object' && value !== null && 'value' in value) value = (value as { value: unknown }).value;
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	// An expression the editor cannot resolve yet (it depends on input items).
	return text.startsWith('=') ? '' : text;
}

/**
 * The category chosen above the picker: the Category locator (`categoryId`, an ID), or a
 * category given by name (`category`, as Upload, Fetch Batch and the File results name it),
 * looked up among the workspace's categories.
 */
async function chosenCategory(ctx: ILoadOptionsFunctions, workspaceId: string): Promise<string> {
	const id = parameterText(ctx, 'categoryId', true);
	if (id !== '') return id;
	const name = ['category', 'options.category', 'filters.category']
		.map((path) => parameterText(ctx, path))
		.find((text) => text !== '');
	if (name) {
		const categories = await listAllCategories(ctx, { workspaceId, enabled: 'all' }, { retry: PICKER_RETRY });
		const match = categories.find((c) => c.name === name);
		if (match) return String(match.id);
		throw new NodeOperationError(ctx.getNode(), `Workspace ${workspaceId} has no category named “${name}”`, {
			description: 'Choose the category from the list, or check its name.',
		});
	}
	throw new NodeOperationError(ctx.getNode(), 'Choose a category first to list its fields and tables', {
		description: 'Fields and tables belong to a category. Pick the Category above, or give the field or table by ID.',
	});
}

async function fieldsOfChosenCategory(ctx: ILoadOptionsFunctions): Promise<CategoryFieldsResult> {
	const workspaceId = chosenWorkspace(ctx);
	const categoryId = await chosenCategory(ctx, workspaceId);
	return await listCategoryFields(ctx, { workspaceId, categoryId, retry: PICKER_RETRY });
}

function matches(needle: string | undefined, ...texts: Array<string | undefined>): boolean {
	return !needle || texts.some((text) => text !== undefined && text.toLowerCase().includes(needle));
}

/**
 * Field locator (Category Field Update and Delete): the category's regular fields, then each
 * table's columns as “Table › Column”, by ID. fields/list has no pages: one request lists all.
 */
async function searchCategoryFields(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { fields, tables } = await fieldsOfChosenCategory(this);
	const needle = filter?.trim().toLowerCase();
	const entry = (field: CategoryField, tableName?: string) => ({
		name: tableName ? `${tableName} › ${field.name ?? ''}` : (field.name ?? ''),
		value: String(field.id),
		description: field.description,
	});
	return {
		results: [
			...fields.filter((f) => matches(needle, f.name, String(f.id))).map((f) => entry(f)),
			...tables.flatMap((table) =>
				(table.fields ?? [])
					.filter((f) => matches(needle, f.name, table.name, String(f.id)))
					.map((f) => entry(f, table.name)),
			),
		],
	};
}

/** Table locator (Category Table Update and Delete; Category Field Add to a table): the category's tables, by ID. */
async function searchCategoryTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const workspaceId = chosenWorkspace(this);
	const categoryId = await chosenCategory(this, workspaceId);
	const { tables } = await listCategoryTables(this, { workspaceId, categoryId, retry: PICKER_RETRY });
	const needle = filter?.trim().toLowerCase();
	return {
		results: tables
			.filter((t) => matches(needle, t.name, String(t.id)))
			.map((t) => ({ name: t.name, value: String(t.id), description: t.prompt })),
	};
}

/**
 * The category's regular fields by name, for parameters that take field names (the File
 * results' fields, Extract Fields): list them with `loadOptionsMethod: 'getCategoryFieldNames'`
 * and `loadOptionsDependsOn` the workspace and the category (`categoryId` or `category`).
 */
async function getCategoryFieldNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { fields } = await fieldsOfChosenCategory(this);
	return fields.map((f) => ({ name: f.name ?? '', value: f.name ?? '', description: f.description }));
}

/** The category's tables by name (Extract Fields' tables), as getCategoryFieldNames. */
async function getCategoryTableNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { tables } = await fieldsOfChosenCategory(this);
	return tables.map((t) => ({
		name: t.name,
		value: t.name,
		description: (t.fields ?? []).map((f) => f.name).join(', ') || undefined,
	}));
}

/** The pickers of the Category resources (and of Upload's and Fetch Batch's Category). */
export const listSearch = { searchCategories, searchCategoryFields, searchCategoryTables };
export const loadOptions = { getCategories, getCategoryFieldNames, getCategoryTableNames };
