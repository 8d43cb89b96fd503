/** The Workspace resource's shapes. */

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
