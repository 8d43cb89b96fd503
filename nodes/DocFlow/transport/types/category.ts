/** The Category, Category Field and Category Table resources' shapes. */
import type { CategorySample } from './categorySample';

export interface Category {
	id: string;
	name: string;
	description?: string;
	enabled?: string;
}

export interface CategoryListResult {
	total: number;
	page: number;
	page_size: number;
	categories: Category[];
}


// ---------- Category, Category Field, Category Table (category/create, list, update, delete; category/fields/…; category/tables/…) ----------

/** The extraction models a category, a regular field or a table can use (the spec's enum). */
export const EXTRACT_MODELS = ['Auto', 'Acgpt', 'Acgpt-VL', 'DF-M1'] as const;
export type ExtractModel = (typeof EXTRACT_MODELS)[number];

/** EnabledStatus: what `enabled` means on a category (category/update sets it). */
export const CATEGORY_STATUSES: Record<number, string> = {
	0: 'Disabled',
	1: 'Enabled',
	2: 'Draft',
};

/** TransformSettings: how DocFlow reformats a field's extracted value before output. */
export interface TransformSettings {
	type?: 'datetime' | 'enumerate' | 'regex';
	datetime_settings?: { format?: string };
	enumerate_settings?: { items?: string[] };
	regex_settings?: { match?: string; replace?: string };
	mismatch_action?: { mode?: 'default' | 'warning'; default_value?: string };
}

/** CategoryFieldConfig: a field as category/create and category/fields/batch_add take it. */
export interface CategoryFieldConfig {
	name: string;
	description?: string;
	prompt?: string;
	use_prompt?: boolean;
	alias?: string[];
	identity?: string;
	multi_value?: boolean;
	duplicate_value_distinct?: boolean;
	transform_settings?: TransformSettings;
}

/** CategoryFieldUpdateItem: one field's changes in category/fields/batch_update. */
export interface CategoryFieldUpdate extends Partial<CategoryFieldConfig> {
	field_id: string;
	extract_model?: ExtractModel;
}

/** CategoryField: a field as DocFlow lists it. */
export interface CategoryField extends Partial<CategoryFieldConfig> {
	id: string;
	enabled?: number;
	extract_model?: string;
	[key: string]: unknown;
}

/** CategoryTableConfig: a table (with its columns) as category/create and tables/batch_add take it. */
export interface CategoryTableConfig {
	name: string;
	prompt?: string;
	collect_from_multi_table?: boolean;
	extract_model?: ExtractModel;
	fields?: CategoryFieldConfig[];
}

/** CategoryTableUpdateItem: one table's changes in category/tables/batch_update. */
export interface CategoryTableUpdate {
	table_id: string;
	name?: string;
	prompt?: string;
	extract_model?: ExtractModel;
	collect_from_multi_table?: boolean;
}

/** CategoryTable: a table as DocFlow lists it (fields/list adds its columns). */
export interface CategoryTable {
	id: string;
	name: string;
	description?: string;
	prompt?: string;
	collect_from_multi_table?: boolean;
	extract_model?: string;
	fields?: CategoryField[];
	[key: string]: unknown;
}

/** The spec's Category in full (category/list), `enabled` an EnabledStatus. */
export interface CategoryDetails {
	id: string;
	name: string;
	description?: string;
	category_prompt?: string;
	extract_model?: string;
	enabled?: number | string;
	[key: string]: unknown;
}

/** category/create's result: the ID, and with `with_detail` the whole category. */
export interface CategoryCreateResult {
	category_id: string;
	name?: string;
	description?: string;
	category_prompt?: string;
	extract_model?: string;
	enabled?: number;
	fields?: CategoryField[];
	tables?: CategoryTable[];
	samples?: CategorySample[];
	[key: string]: unknown;
}

/** category/fields/list: the regular fields, and the tables with their columns. */
export interface CategoryFieldsResult {
	fields: CategoryField[];
	tables: CategoryTable[];
}

/** category/tables/list. */
export interface CategoryTablesResult {
	tables: CategoryTable[];
}

/** One entry of category/fields/batch_add's (and, with details, batch_update's) result. */
export interface FieldResult extends Partial<CategoryField> {
	field_id: string;
}

/** One entry of category/tables/batch_add's result. */
export interface TableResult extends Partial<CategoryTable> {
	table_id: string;
}

/**
 * Limits of the category endpoints. From the spec: name ≤ 50 characters (category, table),
 * category_prompt ≤ 150 (the category guide says 500; the spec's maxLength is what a server
 * validates), table prompt ≤ 200, sample_files 1–10 per category/create (its description
 * says a category holds at most 20), category/list page_size ≤ 100. The spec sets no maximum
 * on `fields` or `tables` per batch request (only minItems: 1), nor does the guide: the node
 * sends at most 100 per request, its own bound, so that one all-or-nothing request stays
 * small and a sheet of 250 rows goes as 100 + 100 + 50.
 */
export const CATEGORY_LIMITS = {
	nameMaxLength: 50,
	promptMaxLength: 150,
	tablePromptMaxLength: 200,
	sampleFilesPerCreate: 10,
	listPageSize: 100,
	itemsPerRequest: 100,
} as const;
