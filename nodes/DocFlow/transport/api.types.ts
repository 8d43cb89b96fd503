/**
 * Shapes of the DocFlow REST API (rest-api/openapi.bundle.yaml), as far as the node reads them.
 * Everything else a response carries is passed through untouched.
 */

export const API_PREFIX = '/api/app-api/sip/platform/v2/';

/** Every current (not deprecated) path of the spec, after API_PREFIX. */
export type Endpoint =
	| 'file/upload'
	| 'file/upload/sync'
	| 'file/fetch'
	| 'file/update'
	| 'file/delete'
	| 'file/extract_fields'
	| 'file/retry'
	| 'file/amend_category'
	| 'auth/token'
	| 'workspace/create'
	| 'workspace/list'
	| 'workspace/get'
	| 'workspace/update'
	| 'workspace/delete'
	| 'category/create'
	| 'category/list'
	| 'category/update'
	| 'category/delete'
	| 'category/fields/list'
	| 'category/fields/batch_add'
	| 'category/fields/batch_update'
	| 'category/fields/delete'
	| 'category/tables/list'
	| 'category/tables/batch_add'
	| 'category/tables/batch_update'
	| 'category/tables/delete'
	| 'category/sample/batch_upload'
	| 'category/sample/list'
	| 'category/sample/batch_download'
	| 'category/sample/delete'
	| 'review/rule_repo/create'
	| 'review/rule_repo/delete'
	| 'review/rule_repo/update'
	| 'review/rule_repo/list'
	| 'review/rule_repo/get'
	| 'review/rule_group/create'
	| 'review/rule_group/delete'
	| 'review/rule_group/update'
	| 'review/rule/create'
	| 'review/rule/update'
	| 'review/rule/delete'
	| 'review/task/submit'
	| 'review/task/delete'
	| 'review/task/result'
	| 'review/task/retry'
	| 'review/task/rule/retry';

/** Every DocFlow answer: HTTP 200 with `code` 200 for success, any other `code` is a business error. */
export interface CodeMessage {
	code: number;
	msg: string;
	result?: unknown;
}

export interface UploadedFile {
	id: string;
	task_id?: string;
	name: string;
	format: string;
}

export interface UploadResult {
	batch_number: string;
	files: UploadedFile[];
}

export interface Position {
	page?: number;
	vertices?: number[];
}

export interface KeyValue {
	key?: string;
	identifier?: string;
	value?: string;
	position?: Position[];
	confidence?: number;
	extractModel?: string;
	configModel?: string;
	index?: number;
}

export interface TableData {
	tableName?: string;
	tableType?: string;
	extractModel?: string;
	configModel?: string;
	items?: KeyValue[][];
}

export interface StampValue {
	angel?: number;
	page?: number;
	text?: string;
	type?: string;
	color?: string;
	shape?: string;
	position?: number[];
}

export interface HandwritingValue {
	angel?: number;
	page?: number;
	text?: string;
	position?: Position[];
}

export interface ExtractedData {
	fields?: KeyValue[];
	items?: KeyValue[][];
	tables?: TableData[];
	stamps?: StampValue[];
	handwritings?: HandwritingValue[];
	invoiceVerifyResult?: Record<string, unknown>;
}

/** Task type, see TASK_TYPES. */
export type TaskType = 0 | 1 | 2 | 3;

export interface DocflowFile {
	id: string;
	task_id?: string;
	task_type?: TaskType;
	parent_task_id?: string;
	task_detail_url?: string;
	batch_number?: string;
	name: string;
	format: string;
	recognition_status: number;
	failure_causes?: string;
	verification_status: number;
	category: string;
	pages?: unknown[];
	data?: ExtractedData;
	document?: unknown;
	child_files?: DocflowFile[];
	duration_ms?: number;
	total_page_num?: number;
	parser_params?: Record<string, unknown>;
	crop_info?: Record<string, unknown>;
	from_parent_position_list?: number[];
	[key: string]: unknown;
}

export interface FetchResult {
	total: number;
	page: number;
	page_size: number;
	files: DocflowFile[];
}

export interface Workspace {
	workspace_id: string;
	name: string;
	description?: string;
}

export interface WorkspaceListResult {
	total: number;
	page: number;
	page_size: number;
	workspaces: Workspace[];
}

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

/** DocumentParserParam: the parser options, as `parser_params` in a retry body. */
export interface ParserParams {
	remove_watermark?: number;
	crop_dewarp?: number;
	apply_merge?: number;
	formula_level?: number;
	table_text_split_mode?: number;
	dpi?: number;
	parse_mode?: string;
	pdf_pwd?: string;
}

/**
 * recognition_status: DocFlow's own name, one word a user can filter on in an IF node, and
 * whether DocFlow is done with the task (until it is retried). The one table of statuses.
 */
export const RECOGNITION_STATUSES: Record<number, { name: string; word: string; final: boolean }> = {
	0: { name: 'Pending Recognition', word: 'pending', final: false },
	1: { name: 'Recognition Success', word: 'success', final: true },
	2: { name: 'Recognition Failed', word: 'failed', final: true },
	3: { name: 'Classifying', word: 'classifying', final: false },
	4: { name: 'Extracting', word: 'extracting', final: false },
	5: { name: 'Preparing', word: 'preparing', final: false },
	6: { name: 'File Splitting', word: 'splitting', final: false },
	7: { name: 'Image Cropping', word: 'cropping', final: false },
	10: { name: 'Classification Complete', word: 'classified', final: true },
	20: { name: 'Parsing', word: 'parsing', final: false },
};

export const STATUS_SUCCESS = 1;
export const STATUS_FAILED = 2;
export const STATUS_CLASSIFIED = 10;

/** A code's entry in one of the tables here; undefined for anything DocFlow does not define. */
export function entryOf<T>(table: Record<number, T>, code: unknown): T | undefined {
	return typeof code === 'number' && Object.hasOwn(table, code) ? table[code] : undefined;
}

export function recognitionStatus(code: unknown): (typeof RECOGNITION_STATUSES)[number] | undefined {
	return entryOf(RECOGNITION_STATUSES, code);
}

export function isFinalStatus(code: unknown): boolean {
	return recognitionStatus(code)?.final === true;
}

export const VERIFICATION_STATUS: Record<number, string> = {
	0: 'Pending Verification',
	2: 'Confirmed',
	3: 'Rejected',
	4: 'Deleted',
	5: 'Deferred Processing',
};

/**
 * task_type: 0 split part, 1 regular, 2 parent (split or crop switched on), 3 cropped image.
 * `child` marks the parts of a parent, which DocFlow cannot retry on their own.
 */
export const TASK_TYPES: Record<number, { word: string; child: boolean }> = {
	0: { word: 'split part', child: true },
	1: { word: 'regular', child: false },
	2: { word: 'parent', child: false },
	3: { word: 'cropped image', child: true },
};

/** The file formats DocFlow accepts (01-upload/support_format.mdx). */
export const SUPPORTED_EXTENSIONS = [
	'pdf',
	'ofd',
	'doc',
	'docx',
	'txt',
	'xls',
	'xlsx',
	'jpeg',
	'jpg',
	'png',
	'tiff',
	'tif',
];

export const MAX_FILE_BYTES = 100 * 1024 * 1024;
export const MAX_URLS_PER_UPLOAD = 10;
export const MAX_FETCH_PAGE_SIZE = 1000;

// ---------- Workspace (workspace/create, get, list, update, delete) ----------

/** The spec's Workspace schema in full, as workspace/get and workspace/list return it. */
export interface WorkspaceDetails extends Workspace {
	/** 0: visible only to its creator, 1: visible to the enterprise's members. */
	auth_scope?: number;
	manage_account_id?: string;
	manage_account_name?: string;
	callback_url?: string;
	callback_retry_time?: number;
	[key: string]: unknown;
}

export interface WorkspaceCreateResult {
	workspace_id: string;
}

/** auth_scope: who sees a workspace (spec: 0 only its creator, 1 the enterprise's members). */
export const WORKSPACE_AUTH_SCOPES: Record<number, string> = {
	0: 'Only Me',
	1: 'Enterprise Members',
};

/** Limits of the spec's workspace/create and workspace/update bodies. */
export const WORKSPACE_LIMITS = {
	nameMaxLength: 50,
	createDescriptionMaxLength: 200,
	updateDescriptionMaxLength: 500,
	callbackRetryMin: 1,
	callbackRetryMax: 3,
} as const;

// ---------- Category Sample (category/sample/batch_upload, list, batch_download, delete) ----------

/** The spec's CategorySample: one example document of a file category. */
export interface CategorySample {
	sample_id: string;
	file_name: string;
	[key: string]: unknown;
}

export interface CategorySampleListResult {
	total: number;
	page: number;
	page_size: number;
	samples: CategorySample[];
}

/**
 * category/sample/batch_upload's result: the category's whole sample list with
 * `with_detail=true` (the spec). The samples guide shows `sample_ids` instead; read too.
 */
export interface CategorySampleUploadResult {
	samples?: CategorySample[];
	sample_ids?: string[];
}

/**
 * Limits on samples. Per request: the spec's `maxItems: 10` for `files` (its description says
 * 20; the schema's limit is the one a server validates). Per category: 20 (category/create's
 * description and the category guides). Size and formats: the samples guide refers to the
 * upload's (MAX_FILE_BYTES, SUPPORTED_EXTENSIONS). Pages: page_size up to 100 (the guide).
 */
export const CATEGORY_SAMPLE_LIMITS = {
	filesPerUpload: 10,
	samplesPerCategory: 20,
	pageSize: 100,
} as const;

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

// ---------- Review (review/rule_repo/…, review/rule_group/…, review/rule/…, review/task/…) ----------

/** ReviewRuleField: one extracted field a rule reads. */
export interface ReviewRuleField {
	field_id?: string;
	field_name?: string;
}

/** ReviewRuleReferencedField: the fields (and table columns) of one category a rule reads. */
export interface ReviewRuleReferencedField {
	category_id?: string;
	category_name?: string;
	fields?: ReviewRuleField[];
	tables?: Array<{ table_id?: string; table_name?: string; fields?: ReviewRuleField[] }>;
}

/** ReviewRule, as rule_repo/get and rule_repo/list return it inside its group. */
export interface ReviewRule {
	rule_id: string;
	name?: string;
	prompt?: string;
	category_ids?: string[];
	risk_level?: number;
	referenced_fields?: ReviewRuleReferencedField[];
	[key: string]: unknown;
}

export interface ReviewRuleGroup {
	group_id: string;
	name?: string;
	rules?: ReviewRule[];
	[key: string]: unknown;
}

/** ReviewRuleRepo: a rule repository with its groups and their rules. */
export interface ReviewRuleRepo {
	/** A string here; rule_repo/create answers it as an integer (the spec types it so). */
	repo_id: string;
	name?: string;
	groups?: ReviewRuleGroup[];
	category_ids?: string[];
	[key: string]: unknown;
}

export interface ReviewRuleRepoListResult {
	repos: ReviewRuleRepo[];
	total: number;
	page: number;
	page_size: number;
}

/** One rule's outcome inside a review task result (groups[].review_tasks[]). */
export interface ReviewRuleOutcome {
	rule_task_id?: string;
	rule_id?: string;
	rule_name?: string;
	risk_level?: number;
	prompt?: string;
	review_result?: number;
	reasoning?: string;
	anchors?: Array<Record<string, unknown>>;
	/** Manual review on DocFlow's page: 0 failed, 1 passed. */
	audit_result?: number;
	audit_message?: string;
	[key: string]: unknown;
}

/** review/task/result: the review task, its overall status and every rule's outcome by group. */
export interface ReviewTaskResult {
	task_id: string;
	task_name?: string;
	task_detail_url?: string;
	status?: number;
	rule_repo?: { repo_id?: string; name?: string };
	extract_task_ids?: string[];
	statistics?: { pass_count?: number; failure_count?: number; error_count?: number; not_triggered_count?: number };
	groups?: Array<{ group_id?: string; group_name?: string; review_tasks?: ReviewRuleOutcome[] }>;
	model?: string;
	[key: string]: unknown;
}

export interface ReviewTaskSubmitResult {
	task_id: string;
	model?: string;
}

/**
 * ReviewTaskStatus: a review task's overall status and each rule's review_result. DocFlow's
 * name, one word to route on (Switch, IF), and whether DocFlow is done with it. 4 (Rejected) is
 * a verdict: final, although one guide's polling example keeps waiting on it.
 */
export const REVIEW_STATUSES: Record<number, { name: string; word: string; final: boolean }> = {
	0: { name: 'Pending', word: 'pending', final: false },
	1: { name: 'Approved', word: 'approved', final: true },
	2: { name: 'Review Failed', word: 'failed', final: true },
	3: { name: 'Reviewing', word: 'reviewing', final: false },
	4: { name: 'Rejected', word: 'rejected', final: true },
	5: { name: 'Recognizing', word: 'recognizing', final: false },
	6: { name: 'In Queue', word: 'queued', final: false },
	7: { name: 'Recognition Failed', word: 'recognition_failed', final: true },
};

export const REVIEW_APPROVED = 1;
export const REVIEW_FAILED = 2;
export const REVIEW_REJECTED = 4;
export const REVIEW_RECOGNITION_FAILED = 7;

/** RiskLevel: 10 high, 20 medium, 30 low. */
export const RISK_LEVELS: Record<number, { name: string; word: string }> = {
	10: { name: 'High Risk', word: 'high' },
	20: { name: 'Medium Risk', word: 'medium' },
	30: { name: 'Low Risk', word: 'low' },
};

/** The review models review/task/submit takes (spec); empty: the repository's default. */
export const REVIEW_MODELS = ['deepseek-v4-pro', 'ORM-O1', 'qwen3.6-plus', 'qwen3.7-max'] as const;

/** Limits of the spec's review bodies. */
export const REVIEW_LIMITS = {
	repoNameMaxLength: 30,
	groupNameMaxLength: 30,
	taskNameMaxLength: 100,
	listPageSize: 50,
} as const;

// ---------- Upload at scale: the synchronous upload, combined uploads ----------

/** The two upload endpoints; both take the same query and body. */
export type UploadEndpoint = 'file/upload' | 'file/upload/sync';

/**
 * file/upload/sync's answer (the spec's TaskProcessResult): the files of the request once
 * processed, shaped as file/fetch returns them.
 */
export type SyncUploadResult = FetchResult;

/**
 * Bounds of one combined upload request (several items' files in one multipart body). DocFlow
 * documents no per-request bound for multipart uploads (01-upload/quickstart.mdx only says to
 * split a batch over several requests "when the total size of multiple files is too large");
 * the only per-request count it documents is 10 URLs (upload_by_urls.mdx, the spec's
 * `maxItems: 10`), and the only size is 100 MB per file (support_format.mdx). So a combined
 * request carries at most 10 files and at most 100 MiB: never more files than DocFlow takes
 * in one URL upload, never more bytes than one single-file upload may already be.
 */
export const COMBINED_UPLOAD_DEFAULTS = { maxFiles: 10, maxBytes: MAX_FILE_BYTES } as const;

/** The guide's advice for the synchronous upload's timeout (01-upload/upload_sync.mdx: "at least 300 seconds"). */
export const SYNC_UPLOAD_TIMEOUT_MS = 300_000;

// ---------- File results: update, amend category, extract fields, delete ----------

/** One entry of file/update's body (an array): `data` REPLACES the file's whole result. */
export interface FileUpdateEntry {
	workspace_id: string;
	file_id: string;
	data: { fields: KeyValue[]; items: KeyValue[][] };
}

/** file/update's answer: the files it updated. */
export interface FileUpdateResult {
	files?: Array<{ workspace_id?: string; id?: string }>;
}

/** file/delete's answer. */
export interface FileDeleteResult {
	deleted_count?: number;
}

/** ExtractFieldReqVO: a field to extract (or extract again), with an optional prompt; models as EXTRACT_MODELS. */
export interface ExtractFieldRequest {
	key: string;
	prompt?: string;
	extract_model?: ExtractModel;
}

/** file/extract_fields' body; its answer is shaped as file/fetch's (FetchResult). */
export interface ExtractFieldsBody {
	workspace_id: string;
	task_id: string;
	fields?: ExtractFieldRequest[];
	tables?: Array<{ name: string; extract_model?: ExtractModel; fields: Array<Omit<ExtractFieldRequest, 'extract_model'>> }>;
}

/** file/amend_category's body: `category` for a regular task, `split_tasks` or `crop_tasks` for a parent. */
export interface AmendCategoryBody {
	workspace_id: string;
	task_id: string;
	category?: string;
	/** Every part of a split parent (parts left out are deleted), pages from 0. */
	split_tasks?: Array<{ category: string; pages: number[] }>;
	crop_tasks?: Array<{ crop_child_task_id: string; category: string }>;
}
