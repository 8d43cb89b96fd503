// category/… : a workspace's file categories, their fields and their tables, kept in the
// workspace's `categories` (so uploads see what is created, disabled or deleted) and restored by
// reset(). Validation as the spec has it (required keys, types, enums, maxLength, minItems and
// maxItems); business errors as DocFlow sends them: HTTP 200 with code 40004 and a message.
// The spec's batch endpoints are all-or-nothing: every entry is checked before anything changes.
import { BizError, MAX_FILE_BYTES, SUPPORTED_FORMATS, bad, enumParam, extOf, intParam } from '../params.ts';
import type { Ctx } from '../params.ts';
import { newId } from '../state.ts';
import { defaultCategoryConfig } from '../data.ts';
import type { EmulatorCategory, EmulatorCategoryField, EmulatorCategoryTable, EmulatorWorkspace } from '../types.ts';
import type { RouteEnv, Routes } from './env.ts';

export const CATEGORY_MSG = {
	CATEGORY_NOT_FOUND: '文件类别不存在',
	CATEGORY_NAME_EXISTS: '文件类别名称已存在',
	FIELD_NOT_FOUND: '字段不存在',
	FIELD_NAME_EXISTS: '字段名称已存在',
	FIELD_NAME_REPEATED: '字段名称重复',
	TABLE_NOT_FOUND: '表格不存在',
	TABLE_NAME_EXISTS: '表格名称已存在',
	TABLE_NAME_REPEATED: '表格名称重复',
	VL_NO_MERGE: 'Acgpt-VL 不支持多表合并',
	TABLE_FIELD_MODEL: '表格字段不支持单独设置抽取模型',
};

/** The spec's limits on the category endpoints. */
export const CATEGORY_SPEC = {
	nameMaxLength: 50,
	promptMaxLength: 150,
	tablePromptMaxLength: 200,
	sampleFilesMin: 1,
	sampleFilesMax: 10,
	listPageSizeMax: 100,
	extractModels: ['Auto', 'Acgpt', 'Acgpt-VL', 'DF-M1'],
};

type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonBody(ctx: Ctx): Body {
	if (ctx.jsonError !== undefined) throw bad(`invalid JSON body: ${ctx.jsonError}`);
	if (!isObject(ctx.json)) throw bad('request body must be a JSON object');
	return ctx.json;
}

function str(body: Body, key: string, { required = false, max, nonEmpty = false }: { required?: boolean; max?: number; nonEmpty?: boolean } = {}): string | undefined {
	const v = body[key];
	if (v === undefined || v === null) {
		if (required) throw bad(`${key} is required`);
		return undefined;
	}
	if (typeof v !== 'string') throw bad(`invalid ${key}: must be a string`);
	if ((required || nonEmpty) && v.trim() === '') throw bad(`${key} must not be empty`);
	if (max !== undefined && Array.from(v).length > max) throw bad(`invalid ${key}: at most ${max} characters`);
	return v;
}

function bool(body: Body, key: string): boolean | undefined {
	const v = body[key];
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'boolean') throw bad(`invalid ${key}: must be a boolean`);
	return v;
}

function model(body: Body, key = 'extract_model', required = false): string | undefined {
	const v = str(body, key, { required });
	if (v !== undefined && !CATEGORY_SPEC.extractModels.includes(v)) {
		throw bad(`invalid ${key}: must be one of ${CATEGORY_SPEC.extractModels.join(', ')}`);
	}
	return v;
}

function list(body: Body, key: string, { required = true, minItems = 1 } = {}): unknown[] | undefined {
	const v = body[key];
	if (v === undefined || v === null) {
		if (required) throw bad(`${key} is required`);
		return undefined;
	}
	if (!Array.isArray(v)) throw bad(`invalid ${key}: must be an array`);
	if (v.length < minItems) throw bad(`invalid ${key}: at least ${minItems} item(s)`);
	return v;
}

function ids(body: Body, key: string): string[] {
	const v = list(body, key) as unknown[];
	if (v.some((id) => typeof id !== 'string' || id === '')) throw bad(`invalid ${key}: must be an array of IDs (strings)`);
	return v as string[];
}

function transformSettings(v: unknown, where: string): Record<string, unknown> {
	if (!isObject(v)) throw bad(`invalid ${where}.transform_settings: must be an object`);
	const type = v.type;
	if (type !== undefined && !['datetime', 'enumerate', 'regex'].includes(String(type))) {
		throw bad(`invalid ${where}.transform_settings.type: must be one of datetime, enumerate, regex`);
	}
	const mode = isObject(v.mismatch_action) ? v.mismatch_action.mode : undefined;
	if (mode !== undefined && !['default', 'warning'].includes(String(mode))) {
		throw bad(`invalid ${where}.transform_settings.mismatch_action.mode: must be default or warning`);
	}
	return v;
}

/** A CategoryFieldConfig (create, batch_add) or, with `update`, a CategoryFieldUpdateItem. */
function fieldSettings(v: unknown, where: string, update = false): Partial<EmulatorCategoryField> {
	if (!isObject(v)) throw bad(`invalid ${where}: must be an object`);
	const out: Partial<EmulatorCategoryField> = {};
	const name = str(v, 'name', { required: !update, nonEmpty: true });
	if (name !== undefined) out.name = name.trim();
	for (const key of ['description', 'prompt', 'identity'] as const) {
		const value = str(v, key);
		if (value !== undefined) out[key] = value;
	}
	for (const key of ['use_prompt', 'multi_value', 'duplicate_value_distinct'] as const) {
		const value = bool(v, key);
		if (value !== undefined) out[key] = value;
	}
	if (v.alias !== undefined) {
		if (!Array.isArray(v.alias) || v.alias.some((a) => typeof a !== 'string')) throw bad(`invalid ${where}.alias: must be an array of strings`);
		out.alias = [...(v.alias as string[])];
	}
	if (v.transform_settings !== undefined) out.transform_settings = transformSettings(v.transform_settings, where);
	if (update) {
		const m = model(v);
		if (m !== undefined) out.extract_model = m;
	}
	return out;
}

function newField(settings: Partial<EmulatorCategoryField>, extractModel: string): EmulatorCategoryField {
	return {
		id: newId(),
		name: settings.name ?? '',
		description: settings.description ?? '',
		prompt: settings.prompt ?? '',
		use_prompt: settings.use_prompt ?? false,
		alias: settings.alias ?? [],
		identity: settings.identity ?? '',
		multi_value: settings.multi_value ?? false,
		duplicate_value_distinct: settings.duplicate_value_distinct ?? false,
		...(settings.transform_settings ? { transform_settings: settings.transform_settings } : {}),
		extract_model: extractModel,
		enabled: 1,
	};
}

/** Field configs of one place (a category's regular fields, a table's columns): names unique. */
function fieldConfigs(v: unknown[], where: string): Array<Partial<EmulatorCategoryField>> {
	const seen = new Set<string>();
	return v.map((entry, i) => {
		const settings = fieldSettings(entry, `${where}[${i}]`);
		if (seen.has(settings.name!)) throw new BizError(40004, `${CATEGORY_MSG.FIELD_NAME_REPEATED}: ${settings.name}`);
		seen.add(settings.name!);
		return settings;
	});
}

interface TableConfig {
	name: string;
	prompt?: string;
	collect_from_multi_table?: boolean;
	extract_model?: string;
	fields: Array<Partial<EmulatorCategoryField>>;
}

function tableConfig(v: unknown, where: string): TableConfig {
	if (!isObject(v)) throw bad(`invalid ${where}: must be an object`);
	const name = str(v, 'name', { required: true, max: CATEGORY_SPEC.nameMaxLength })!.trim();
	const config: TableConfig = { name, fields: [] };
	const prompt = str(v, 'prompt', { max: CATEGORY_SPEC.tablePromptMaxLength });
	if (prompt !== undefined) config.prompt = prompt;
	const merge = bool(v, 'collect_from_multi_table');
	if (merge !== undefined) config.collect_from_multi_table = merge;
	const m = model(v);
	if (m !== undefined) config.extract_model = m;
	if (config.collect_from_multi_table && config.extract_model === 'Acgpt-VL') throw new BizError(40004, CATEGORY_MSG.VL_NO_MERGE);
	const fields = list(v, 'fields', { required: false, minItems: 0 });
	if (fields) config.fields = fieldConfigs(fields, `${where}.fields`);
	return config;
}

function newTable(config: TableConfig, categoryModel: string): EmulatorCategoryTable {
	const tableModel = config.extract_model ?? categoryModel;
	return {
		id: newId(),
		name: config.name,
		description: '',
		prompt: config.prompt ?? '',
		collect_from_multi_table: config.collect_from_multi_table ?? false,
		extract_model: tableModel,
		fields: config.fields.map((f) => newField(f, tableModel)),
	};
}

const fieldOut = (f: EmulatorCategoryField) => ({ ...f });
const fieldResult = ({ id, ...rest }: EmulatorCategoryField) => ({ field_id: id, ...rest });
const tableOut = (t: EmulatorCategoryTable) => ({ ...t, fields: t.fields.map(fieldOut) });
const tableSummary = (t: EmulatorCategoryTable) => ({
	id: t.id,
	name: t.name,
	prompt: t.prompt ?? '',
	collect_from_multi_table: t.collect_from_multi_table ?? false,
	extract_model: t.extract_model ?? 'Auto',
});

function categoryOut(c: EmulatorCategory): Record<string, unknown> {
	return {
		id: c.id,
		name: c.name,
		description: c.description ?? '',
		category_prompt: c.category_prompt ?? c.description ?? '',
		extract_model: c.extract_model ?? 'Acgpt',
		enabled: Number(c.enabled),
	};
}

/** The model a new regular field gets: the category's, Auto when it is mixed or unset. */
const categoryModel = (c: EmulatorCategory) => (c.extract_model && c.extract_model !== 'mixed' ? c.extract_model : 'Auto');

export function categoryRoutes({ requireWorkspace }: RouteEnv): Routes {
	function requireCategory(ws: EmulatorWorkspace, id: unknown): EmulatorCategory & { fields: EmulatorCategoryField[]; tables: EmulatorCategoryTable[] } {
		if (id === undefined || id === null || id === '') throw bad('category_id is required');
		if (typeof id !== 'string') throw bad('invalid category_id: must be a string');
		const category = ws.categories.find((c) => c.id === id);
		if (!category) throw new BizError(40004, CATEGORY_MSG.CATEGORY_NOT_FOUND);
		if (category.fields === undefined || category.tables === undefined) {
			const defaults = defaultCategoryConfig(category, ws);
			category.fields ??= defaults.fields;
			category.tables ??= defaults.tables;
		}
		return category as EmulatorCategory & { fields: EmulatorCategoryField[]; tables: EmulatorCategoryTable[] };
	}

	function requireTable(category: { tables: EmulatorCategoryTable[] }, id: unknown): EmulatorCategoryTable {
		if (typeof id !== 'string' || id === '') throw bad('invalid table_id: must be a string');
		const table = category.tables.find((t) => t.id === id);
		if (!table) throw new BizError(40004, `${CATEGORY_MSG.TABLE_NOT_FOUND}: ${id}`);
		return table;
	}

	// ---------- category/list, create, update, delete ----------

	function handleList(ctx: Ctx): Record<string, unknown> {
		const ws = requireWorkspace(ctx, ctx.query.workspace_id);
		const page = intParam(ctx.query, 'page', 1, 1, 1_000_000);
		const pageSize = intParam(ctx.query, 'page_size', 20, 1, CATEGORY_SPEC.listPageSizeMax);
		const enabled = enumParam(ctx.query, 'enabled', ['all', '1', '0', '2']) ?? '1';
		const all = ws.categories.filter((c) => enabled === 'all' || c.enabled === enabled);
		return {
			total: all.length,
			page,
			page_size: pageSize,
			categories: all.slice((page - 1) * pageSize, page * pageSize).map(categoryOut),
		};
	}

	/** multipart/form-data: the spec's form fields, fields and tables as JSON text, sample_files as files. */
	function handleCreate(ctx: Ctx): Record<string, unknown> {
		if (!ctx.parts) {
			throw bad(ctx.multipartError ? `invalid multipart body: ${ctx.multipartError}` : 'content type must be multipart/form-data');
		}
		const form: Body = {};
		for (const part of ctx.parts) if (part.filename === undefined) form[part.name] = part.data.toString('utf8');
		const ws = requireWorkspace(ctx, form.workspace_id);
		const name = str(form, 'name', { required: true, max: CATEGORY_SPEC.nameMaxLength })!.trim();
		const prompt = str(form, 'category_prompt', { max: CATEGORY_SPEC.promptMaxLength });
		const description = str(form, 'description');
		const extractModel = model(form, 'extract_model', true)!;
		const withDetail = enumParam(form as Record<string, string>, 'with_detail', ['true', 'false']) === 'true';

		const samples = ctx.parts.filter((p) => p.name === 'sample_files' && p.filename !== undefined);
		if (samples.length < CATEGORY_SPEC.sampleFilesMin) throw bad('sample_files is required');
		if (samples.length > CATEGORY_SPEC.sampleFilesMax) {
			throw bad(`too many sample_files: at most ${CATEGORY_SPEC.sampleFilesMax} per request`);
		}
		for (const sample of samples) {
			if (sample.data.length === 0) throw bad(`sample file is empty: ${sample.filename}`);
			if (sample.data.length > MAX_FILE_BYTES) throw bad(`sample file too large: ${sample.filename}`);
			if (!SUPPORTED_FORMATS.includes(extOf(sample.filename ?? ''))) throw bad(`unsupported sample file format: ${sample.filename}`);
		}
		const parse = (key: string): unknown => {
			const text = form[key];
			if (text === undefined) return undefined;
			try {
				return JSON.parse(String(text));
			} catch {
				throw bad(`invalid ${key}: must be a JSON array`);
			}
		};
		const fieldsValue = parse('fields');
		if (fieldsValue === undefined) throw bad('fields is required');
		const fields = fieldConfigs(list({ fields: fieldsValue }, 'fields') as unknown[], 'fields');
		const tablesValue = parse('tables');
		const tables = (list({ tables: tablesValue }, 'tables', { required: false, minItems: 0 }) ?? []).map((t, i) =>
			tableConfig(t, `tables[${i}]`),
		);
		const tableNames = new Set<string>();
		for (const t of tables) {
			if (tableNames.has(t.name)) throw new BizError(40004, `${CATEGORY_MSG.TABLE_NAME_REPEATED}: ${t.name}`);
			tableNames.add(t.name);
		}
		if (ws.categories.some((c) => c.name === name)) throw new BizError(40004, `${CATEGORY_MSG.CATEGORY_NAME_EXISTS}: ${name}`);

		const category: EmulatorCategory & { fields: EmulatorCategoryField[]; tables: EmulatorCategoryTable[] } = {
			id: newId(),
			name,
			description: description ?? '',
			extract_model: extractModel,
			// Created through the API, a category is in use at once: uploads may name it.
			enabled: '1',
			category_prompt: prompt ?? '',
			fields: fields.map((f) => newField(f, extractModel)),
			tables: tables.map((t) => newTable(t, extractModel)),
			// category/sample/list starts from these (routes/categorySample.ts).
			sample_files: samples.map((s) => ({ sample_id: newId(), file_name: s.filename ?? '', data: Buffer.from(s.data) })),
		};
		ws.categories.push(category);
		if (!withDetail) return { category_id: category.id };
		return {
			category_id: category.id,
			...categoryOut(category),
			id: undefined,
			fields: category.fields.map(fieldOut),
			tables: category.tables.map(tableOut),
			samples: category.sample_files!.map((s) => ({ sample_id: s.sample_id, file_name: s.file_name })),
		};
	}

	function handleUpdate(ctx: Ctx): Record<string, unknown> | undefined {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const name = str(body, 'name', { max: CATEGORY_SPEC.nameMaxLength, nonEmpty: true })?.trim();
		const prompt = str(body, 'category_prompt', { max: CATEGORY_SPEC.promptMaxLength });
		const enabled = body.enabled;
		if (enabled !== undefined && (typeof enabled !== 'number' || ![0, 1, 2].includes(enabled))) {
			throw bad('invalid enabled: must be 0, 1 or 2');
		}
		const extractModel = model(body);
		const withDetail = bool(body, 'with_detail');
		if (name !== undefined && ws.categories.some((c) => c.name === name && c.id !== category.id)) {
			throw new BizError(40004, `${CATEGORY_MSG.CATEGORY_NAME_EXISTS}: ${name}`);
		}
		if (name !== undefined) category.name = name;
		if (prompt !== undefined) category.category_prompt = prompt;
		if (enabled !== undefined) category.enabled = String(enabled) as EmulatorCategory['enabled'];
		if (extractModel !== undefined) {
			// The spec: setting it cascades to every field and table of the category.
			category.extract_model = extractModel;
			for (const f of category.fields) f.extract_model = extractModel;
			for (const t of category.tables) {
				t.extract_model = extractModel;
				for (const f of t.fields) f.extract_model = extractModel;
			}
		}
		return withDetail ? categoryOut(category) : undefined;
	}

	function handleDelete(ctx: Ctx): undefined {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const categoryIds = ids(body, 'category_ids');
		for (const id of categoryIds) {
			if (!ws.categories.some((c) => c.id === id)) throw new BizError(40004, `${CATEGORY_MSG.CATEGORY_NOT_FOUND}: ${id}`);
		}
		for (const id of categoryIds) ws.categories.splice(ws.categories.findIndex((c) => c.id === id), 1);
		return undefined;
	}

	// ---------- category/fields/… ----------

	function handleFieldsList(ctx: Ctx): Record<string, unknown> {
		const ws = requireWorkspace(ctx, ctx.query.workspace_id);
		const category = requireCategory(ws, ctx.query.category_id);
		return { fields: category.fields.map(fieldOut), tables: category.tables.map(tableOut) };
	}

	function handleFieldsAdd(ctx: Ctx): Array<Record<string, unknown>> {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const tableId = str(body, 'table_id');
		const table = tableId ? requireTable(category, tableId) : undefined;
		const configs = fieldConfigs(list(body, 'fields')!, 'fields');
		const withDetail = bool(body, 'with_detail');
		const place = table ? table.fields : category.fields;
		for (const config of configs) {
			if (place.some((f) => f.name === config.name)) throw new BizError(40004, `${CATEGORY_MSG.FIELD_NAME_EXISTS}: ${config.name}`);
		}
		const added = configs.map((config) => newField(config, table ? (table.extract_model ?? 'Auto') : categoryModel(category)));
		place.push(...added);
		// The spec: one entry per field, in the order of the request.
		return added.map((f) => (withDetail ? fieldResult(f) : { field_id: f.id }));
	}

	function handleFieldsUpdate(ctx: Ctx): Record<string, unknown> | undefined {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const entries = list(body, 'fields')!;
		const withDetail = bool(body, 'with_detail');
		const seen = new Set<string>();
		const changes = entries.map((entry, i) => {
			if (!isObject(entry)) throw bad(`invalid fields[${i}]: must be an object`);
			const fieldId = str(entry, 'field_id', { required: true })!;
			if (seen.has(fieldId)) throw bad(`invalid fields: field_id ${fieldId} appears twice`);
			seen.add(fieldId);
			let place = category.fields;
			let table: EmulatorCategoryTable | undefined;
			let field = category.fields.find((f) => f.id === fieldId);
			for (const t of category.tables) {
				if (field) break;
				field = t.fields.find((f) => f.id === fieldId);
				if (field) {
					table = t;
					place = t.fields;
				}
			}
			if (!field) throw new BizError(40004, `${CATEGORY_MSG.FIELD_NOT_FOUND}: ${fieldId}`);
			const settings = fieldSettings(entry, `fields[${i}]`, true);
			if (table && settings.extract_model !== undefined) throw new BizError(40004, CATEGORY_MSG.TABLE_FIELD_MODEL);
			return { field, place, settings };
		});
		// Names after the whole batch, per place: none twice.
		const after = new Map<EmulatorCategoryField[], Map<string, string>>();
		for (const { field, place, settings } of changes) {
			if (!after.has(place)) after.set(place, new Map(place.map((f) => [f.id, f.name])));
			if (settings.name !== undefined) after.get(place)!.set(field.id, settings.name);
		}
		for (const names of after.values()) {
			const taken = new Set<string>();
			for (const name of names.values()) {
				if (taken.has(name)) throw new BizError(40004, `${CATEGORY_MSG.FIELD_NAME_EXISTS}: ${name}`);
				taken.add(name);
			}
		}
		for (const { field, settings } of changes) Object.assign(field, settings);
		// The spec: the updated fields with with_detail, else no result.
		return withDetail ? (changes.map(({ field }) => fieldResult(field)) as never) : undefined;
	}

	function handleFieldsDelete(ctx: Ctx): undefined {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const fieldIds = ids(body, 'field_ids');
		const tableId = str(body, 'table_id');
		// The spec: without table_id the regular fields, with it that table's columns.
		const place = tableId ? requireTable(category, tableId).fields : category.fields;
		for (const id of fieldIds) {
			if (!place.some((f) => f.id === id)) throw new BizError(40004, `${CATEGORY_MSG.FIELD_NOT_FOUND}: ${id}`);
		}
		for (const id of fieldIds) place.splice(place.findIndex((f) => f.id === id), 1);
		return undefined;
	}

	// ---------- category/tables/… ----------

	function handleTablesList(ctx: Ctx): Record<string, unknown> {
		const ws = requireWorkspace(ctx, ctx.query.workspace_id);
		const category = requireCategory(ws, ctx.query.category_id);
		return { tables: category.tables.map(tableSummary) };
	}

	function handleTablesAdd(ctx: Ctx): Array<Record<string, unknown>> {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const configs = list(body, 'tables')!.map((t, i) => tableConfig(t, `tables[${i}]`));
		const withDetail = bool(body, 'with_detail');
		const names = new Set(category.tables.map((t) => t.name));
		for (const config of configs) {
			if (names.has(config.name)) {
				const existing = category.tables.some((t) => t.name === config.name);
				throw new BizError(40004, `${existing ? CATEGORY_MSG.TABLE_NAME_EXISTS : CATEGORY_MSG.TABLE_NAME_REPEATED}: ${config.name}`);
			}
			names.add(config.name);
		}
		const added = configs.map((config) => newTable(config, categoryModel(category)));
		category.tables.push(...added);
		return added.map(({ id, ...rest }) =>
			withDetail ? { table_id: id, ...rest, fields: rest.fields.map(fieldOut) } : { table_id: id },
		);
	}

	function handleTablesUpdate(ctx: Ctx): undefined {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const entries = list(body, 'tables')!;
		const seen = new Set<string>();
		const changes = entries.map((entry, i) => {
			if (!isObject(entry)) throw bad(`invalid tables[${i}]: must be an object`);
			const tableId = str(entry, 'table_id', { required: true })!;
			if (seen.has(tableId)) throw bad(`invalid tables: table_id ${tableId} appears twice`);
			seen.add(tableId);
			const table = requireTable(category, tableId);
			const name = str(entry, 'name', { max: CATEGORY_SPEC.nameMaxLength, nonEmpty: true })?.trim();
			const prompt = str(entry, 'prompt', { max: CATEGORY_SPEC.tablePromptMaxLength });
			const merge = bool(entry, 'collect_from_multi_table');
			const m = model(entry);
			if ((merge ?? table.collect_from_multi_table) === true && (m ?? table.extract_model) === 'Acgpt-VL') {
				throw new BizError(40004, CATEGORY_MSG.VL_NO_MERGE);
			}
			return { table, name, prompt, merge, model: m };
		});
		const names = new Map(category.tables.map((t) => [t.id, t.name]));
		for (const c of changes) if (c.name !== undefined) names.set(c.table.id, c.name);
		const taken = new Set<string>();
		for (const name of names.values()) {
			if (taken.has(name)) throw new BizError(40004, `${CATEGORY_MSG.TABLE_NAME_EXISTS}: ${name}`);
			taken.add(name);
		}
		for (const c of changes) {
			if (c.name !== undefined) c.table.name = c.name;
			if (c.prompt !== undefined) c.table.prompt = c.prompt;
			if (c.merge !== undefined) c.table.collect_from_multi_table = c.merge;
			if (c.model !== undefined) {
				// A table's columns use the table's model.
				c.table.extract_model = c.model;
				for (const f of c.table.fields) f.extract_model = c.model;
			}
		}
		return undefined;
	}

	function handleTablesDelete(ctx: Ctx): undefined {
		const body = jsonBody(ctx);
		const ws = requireWorkspace(ctx, body.workspace_id);
		const category = requireCategory(ws, body.category_id);
		const tableIds = ids(body, 'table_ids');
		for (const id of tableIds) requireTable(category, id);
		for (const id of tableIds) category.tables.splice(category.tables.findIndex((t) => t.id === id), 1);
		return undefined;
	}

	return {
		'category/list': { method: 'GET', run: handleList },
		'category/create': { method: 'POST', run: handleCreate },
		'category/update': { method: 'POST', run: handleUpdate },
		'category/delete': { method: 'POST', run: handleDelete },
		'category/fields/list': { method: 'GET', run: handleFieldsList },
		'category/fields/batch_add': { method: 'POST', run: handleFieldsAdd as never },
		'category/fields/batch_update': { method: 'POST', run: handleFieldsUpdate },
		'category/fields/delete': { method: 'POST', run: handleFieldsDelete },
		'category/tables/list': { method: 'GET', run: handleTablesList },
		'category/tables/batch_add': { method: 'POST', run: handleTablesAdd as never },
		'category/tables/batch_update': { method: 'POST', run: handleTablesUpdate },
		'category/tables/delete': { method: 'POST', run: handleTablesDelete },
	};
}
