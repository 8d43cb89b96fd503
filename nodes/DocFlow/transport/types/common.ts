/** What every DocFlow request and answer shares: the path prefix, the endpoints, the envelope. */

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
