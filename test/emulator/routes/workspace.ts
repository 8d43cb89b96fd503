// workspace/… and auth/token.
import { randomBytes } from 'node:crypto';

import { BizError, MSG, bad, intParam } from '../params.ts';
import type { Ctx } from '../params.ts';
import type { RouteEnv, Routes } from './env.ts';

export function workspaceRoutes({ store, workspaces }: RouteEnv): Routes {
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
			workspaces: all.slice((page - 1) * pageSize, page * pageSize).map((w) => ({
				workspace_id: w.workspace_id,
				name: w.name,
				description: `${w.name} workspace (emulator)`,
				auth_scope: 1,
				manage_account_id: `admin_${w.enterprise_id}`,
				manage_account_name: 'Demo Admin',
				callback_url: '',
				callback_retry_time: 0,
			})),
		};
	}

	return {
		'auth/token': { method: 'GET', run: () => handleToken() },
		'workspace/list': { method: 'GET', run: handleWorkspaceList },
	};
}
