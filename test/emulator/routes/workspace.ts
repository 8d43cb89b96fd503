// workspace/… and auth/token.
import { randomBytes } from 'node:crypto';

import { BizError, MSG, bad, intParam } from '../params.ts';
import type { Ctx } from '../params.ts';
import { newId } from '../state.ts';
import type { EmulatorWorkspace } from '../types.ts';
import type { RouteEnv, Routes } from './env.ts';

/** The spec's limits (workspace/create and workspace/update request bodies). */
const NAME_MAX = 50;
const CREATE_DESCRIPTION_MAX = 200;
const UPDATE_DESCRIPTION_MAX = 500;
const CALLBACK_RETRY_MIN = 1;
const CALLBACK_RETRY_MAX = 3;

/** A workspace as the spec's Workspace schema, defaults filled in for the seeded ones. */
export function renderWorkspace(w: EmulatorWorkspace): Record<string, unknown> {
	return {
		workspace_id: w.workspace_id,
		name: w.name,
		description: w.description ?? `${w.name} workspace (emulator)`,
		auth_scope: w.auth_scope ?? 1,
		manage_account_id: w.manage_account_id ?? `admin_${w.enterprise_id}`,
		manage_account_name: w.manage_account_name ?? 'Demo Admin',
		callback_url: w.callback_url ?? '',
		callback_retry_time: w.callback_retry_time ?? 0,
	};
}

function jsonBody(ctx: Ctx): Record<string, unknown> {
	if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
	const body = ctx.json;
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('invalid JSON body: must be an object');
	return body as Record<string, unknown>;
}

const length = (s: string) => [...s].length;

function nameOf(b: Record<string, unknown>): string {
	const name = b.name;
	if (name === undefined || name === null || (typeof name === 'string' && name.trim() === '')) throw bad('name is required');
	if (typeof name !== 'string') throw bad('invalid name: must be a string');
	if (length(name) > NAME_MAX) throw bad(`invalid name: at most ${NAME_MAX} characters`);
	return name;
}

function descriptionOf(b: Record<string, unknown>, max: number): string | undefined {
	const d = b.description;
	if (d === undefined || d === null) return undefined;
	if (typeof d !== 'string') throw bad('invalid description: must be a string');
	if (length(d) > max) throw bad(`invalid description: at most ${max} characters`);
	return d;
}

function authScopeOf(b: Record<string, unknown>): 0 | 1 {
	if (b.auth_scope === undefined || b.auth_scope === null) throw bad('auth_scope is required');
	if (b.auth_scope !== 0 && b.auth_scope !== 1) throw bad('invalid auth_scope: must be 0 or 1');
	return b.auth_scope;
}

/**
 * enterprise_id is an int64 in the spec: a JSON integer. Read from the body's own text, so an ID
 * above 2^53 keeps its digits (JSON.parse would round it).
 */
function enterpriseIdOf(ctx: Ctx, b: Record<string, unknown>): string {
	const value = b.enterprise_id;
	if (value === undefined || value === null || value === '') throw bad('enterprise_id is required');
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw bad('invalid enterprise_id: must be an integer');
	let source: string | undefined;
	type Reviver = (this: unknown, key: string, v: unknown, context?: { source?: string }) => unknown;
	const reviver: Reviver = (key, v, context) => {
		if (key === 'enterprise_id' && typeof v === 'number') source = context?.source;
		return v;
	};
	JSON.parse(ctx.body.toString('utf8'), reviver as (this: unknown, key: string, v: unknown) => unknown);
	return source !== undefined && /^\d+$/.test(source) ? BigInt(source).toString() : String(value);
}

export function workspaceRoutes({ store, workspaces, requireWorkspace }: RouteEnv): Routes {
	function handleToken(): Record<string, unknown> {
		return { token: randomBytes(24).toString('hex'), expiry: Math.floor(store.now() / 1000) + 86400 };
	}

	function handleWorkspaceList(ctx: Ctx): Record<string, unknown> {
		const ent = ctx.query.enterprise_id;
		if (!ent) throw bad('enterprise_id is required');
		if (!/^\d+$/.test(ent)) throw bad('invalid enterprise_id: must be an integer');
		if (!ctx.enterprises.includes(ent)) throw new BizError(40301, MSG.NO_ENTERPRISE_PERMISSION);
		const page = intParam(ctx.query, 'page', 1, 1, 1_000_000);
		const pageSize = intParam(ctx.query, 'page_size', 20, 1, 1000);
		const all = workspaces.filter((w) => w.enterprise_id === ent);
		return {
			total: all.length,
			page,
			page_size: pageSize,
			workspaces: all.slice((page - 1) * pageSize, page * pageSize).map(renderWorkspace),
		};
	}

	function handleWorkspaceCreate(ctx: Ctx): Record<string, unknown> {
		const b = jsonBody(ctx);
		const name = nameOf(b);
		const description = descriptionOf(b, CREATE_DESCRIPTION_MAX);
		const enterpriseId = enterpriseIdOf(ctx, b);
		const authScope = authScopeOf(b);
		if (!ctx.enterprises.includes(enterpriseId)) throw new BizError(40301, MSG.NO_ENTERPRISE_PERMISSION);
		const workspace: EmulatorWorkspace = {
			workspace_id: newId(),
			name,
			enterprise_id: enterpriseId,
			categories: [],
			description: description ?? '',
			auth_scope: authScope,
			manage_account_id: `account_${ctx.cred.appId}`,
			manage_account_name: ctx.cred.appId,
			callback_url: '',
			callback_retry_time: 0,
		};
		workspaces.push(workspace);
		return { workspace_id: workspace.workspace_id };
	}

	function handleWorkspaceGet(ctx: Ctx): Record<string, unknown> {
		return renderWorkspace(requireWorkspace(ctx, ctx.query.workspace_id));
	}

	/**
	 * A full update: name and auth_scope are required, and an optional field left out is cleared
	 * (the spec does not say it is kept), so a client must send back what it does not change.
	 */
	function handleWorkspaceUpdate(ctx: Ctx): undefined {
		const b = jsonBody(ctx);
		const workspace = requireWorkspace(ctx, b.workspace_id);
		const name = nameOf(b);
		const authScope = authScopeOf(b);
		const description = descriptionOf(b, UPDATE_DESCRIPTION_MAX);
		let callbackUrl = '';
		if (b.callback_url !== undefined && b.callback_url !== null) {
			if (typeof b.callback_url !== 'string') throw bad('invalid callback_url: must be a string');
			if (b.callback_url !== '' && !/^https?:\/\/[^/\s]+/i.test(b.callback_url)) throw bad('invalid callback_url: must be an http(s) URL');
			callbackUrl = b.callback_url;
		}
		let retries = 0;
		if (b.callback_retry_time !== undefined && b.callback_retry_time !== null) {
			const r = b.callback_retry_time;
			if (typeof r !== 'number' || !Number.isInteger(r) || r < CALLBACK_RETRY_MIN || r > CALLBACK_RETRY_MAX) {
				throw bad(`invalid callback_retry_time: must be an integer between ${CALLBACK_RETRY_MIN} and ${CALLBACK_RETRY_MAX}`);
			}
			retries = r;
		}
		Object.assign(workspace, {
			name,
			auth_scope: authScope,
			description: description ?? '',
			callback_url: callbackUrl,
			callback_retry_time: retries,
		});
		return undefined;
	}

	/** All or nothing: every ID must be a workspace the caller can see; their documents go with them. */
	function handleWorkspaceDelete(ctx: Ctx): undefined {
		const b = jsonBody(ctx);
		const ids = b.workspace_ids;
		if (ids === undefined || ids === null) throw bad('workspace_ids is required');
		if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === '')) {
			throw bad('invalid workspace_ids: must be a non-empty array of workspace IDs (strings)');
		}
		const doomed = ids.map((id) => requireWorkspace(ctx, id));
		for (const workspace of doomed) {
			const at = workspaces.indexOf(workspace);
			if (at >= 0) workspaces.splice(at, 1);
			for (const [taskId, task] of store.tasks) if (task.workspaceId === workspace.workspace_id) store.tasks.delete(taskId);
		}
		return undefined;
	}

	return {
		'auth/token': { method: 'GET', run: () => handleToken() },
		'workspace/list': { method: 'GET', run: handleWorkspaceList },
		'workspace/create': { method: 'POST', run: handleWorkspaceCreate },
		'workspace/get': { method: 'GET', run: handleWorkspaceGet },
		'workspace/update': { method: 'POST', run: handleWorkspaceUpdate },
		'workspace/delete': { method: 'POST', run: handleWorkspaceDelete },
	};
}
