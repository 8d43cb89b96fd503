// Shared by the review resources' tests (Rule Repository, Rule Group, Rule, Review Task): what
// DocFlow holds before a run (put there over its HTTP API, not through the node), the requests
// the emulator saw, and a bad input run the three ways n8n can handle an item's error.
import type { INodeExecutionData } from 'n8n-workflow';

import { call } from '../../../../emulator/helpers.ts';
import type { DocflowEmulator, RecordedRequest } from '../../../../emulator/index.ts';
import { runDocflow } from '../../../../harness/engine.ts';
import type { InputItem, RunResult } from '../../../../harness/engine.ts';
import { WORKSPACE_ID, credentialFor, seedUpload, workspace } from '../../../../harness/fixtures.ts';

export { WORKSPACE_ID, workspace };

/** The workspace's invoice category (emulator data: “发票”) and receipt category. */
export const INVOICE_CATEGORY = '1900000000000000001';
export const RECEIPT_CATEGORY = '1900000000000000002';

async function docflow(emulator: DocflowEmulator, method: 'GET' | 'POST', endpoint: string, body: Record<string, unknown>) {
	const response =
		method === 'GET'
			? await call(emulator.url, 'GET', endpoint, { query: body as Record<string, string> })
			: await call(emulator.url, 'POST', endpoint, { json: body });
	if (response.json?.code !== 200) throw new Error(`seeding ${endpoint} failed: ${response.text}`);
	return response.json.result;
}

export async function seedRepo(emulator: DocflowEmulator, name = 'Invoice checks', workspaceId = WORKSPACE_ID): Promise<string> {
	return String((await docflow(emulator, 'POST', 'review/rule_repo/create', { workspace_id: workspaceId, name })).repo_id);
}

export async function seedGroup(emulator: DocflowEmulator, repoId: string, name = 'Amounts'): Promise<string> {
	return (await docflow(emulator, 'POST', 'review/rule_group/create', { workspace_id: WORKSPACE_ID, repo_id: repoId, name })).group_id;
}

export async function seedRule(
	emulator: DocflowEmulator,
	repoId: string,
	groupId: string,
	rule: Record<string, unknown> = {},
): Promise<string> {
	return (
		await docflow(emulator, 'POST', 'review/rule/create', {
			workspace_id: WORKSPACE_ID,
			repo_id: repoId,
			group_id: groupId,
			name: 'Amount in range',
			prompt: 'The total amount is above 0',
			...rule,
		})
	).rule_id;
}

/** A repository with one group “Amounts” holding the given rules. */
export async function seedRepoWithRules(
	emulator: DocflowEmulator,
	rules: Array<Record<string, unknown>> = [{}],
	name = 'Invoice checks',
): Promise<{ repoId: string; groupId: string; ruleIds: string[] }> {
	const repoId = await seedRepo(emulator, name);
	const groupId = await seedGroup(emulator, repoId);
	const ruleIds: string[] = [];
	for (const rule of rules) ruleIds.push(await seedRule(emulator, repoId, groupId, rule));
	return { repoId, groupId, ruleIds };
}

/** Documents DocFlow has extracted (finished); their task IDs. */
export async function seedExtracted(emulator: DocflowEmulator, names: string[], query: Record<string, string> = {}) {
	const seeded = await seedUpload(emulator, names, query);
	emulator.finishAll();
	return { batchNumber: seeded.batch_number, taskIds: seeded.files.map((f) => f.task_id), fileIds: seeded.files.map((f) => f.id) };
}

/** Documents DocFlow is still processing (for as long as the test's step time makes it). */
export async function seedUnfinished(emulator: DocflowEmulator, names: string[]) {
	emulator.setStepMs(3_600_000);
	const seeded = await seedUpload(emulator, names);
	return { batchNumber: seeded.batch_number, taskIds: seeded.files.map((f) => f.task_id) };
}

/** A review task submitted straight to DocFlow; its ID. */
export async function seedReview(
	emulator: DocflowEmulator,
	repoId: string,
	extractTaskIds: string[],
	name = 'Seeded review',
): Promise<string> {
	return (
		await docflow(emulator, 'POST', 'review/task/submit', { workspace_id: WORKSPACE_ID, name, repo_id: repoId, extract_task_ids: extractTaskIds })
	).task_id;
}

export async function reviewResult(emulator: DocflowEmulator, taskId: string) {
	return await docflow(emulator, 'POST', 'review/task/result', { workspace_id: WORKSPACE_ID, task_id: taskId });
}

export async function repoAsDocflowHasIt(emulator: DocflowEmulator, repoId: string) {
	return await docflow(emulator, 'GET', 'review/rule_repo/get', { workspace_id: WORKSPACE_ID, repo_id: repoId });
}

export async function reposAsDocflowHasThem(emulator: DocflowEmulator) {
	return (await docflow(emulator, 'GET', 'review/rule_repo/list', { workspace_id: WORKSPACE_ID, page_size: '100' })).repos as Array<{
		repo_id: string;
		name: string;
	}>;
}

/** A locator value as the editor stores it for “By ID” (or “From List”). */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
export const fromList = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: 'picked' });

export function parameters(resource: string, operation: string, extra: Record<string, unknown> = {}) {
	return { resource, operation, workspace: workspace(), ...extra };
}

export const credential = (emulator: DocflowEmulator, overrides: Record<string, unknown> = {}) =>
	credentialFor(emulator, overrides);

/** The requests to one endpoint (e.g. 'review/task/submit'), in order. */
export function requestsTo(emulator: DocflowEmulator, endpoint: string): RecordedRequest[] {
	return emulator.requests.filter((r) => r.path.endsWith(`/${endpoint}`));
}

/** Method and endpoint of every request, in order: what went over the wire. */
export function wire(emulator: DocflowEmulator): string[] {
	return emulator.requests.map((r) => `${r.method} ${r.path.split('/platform/v2/')[1]}`);
}

export const jsonOf = (items: INodeExecutionData[]) => items.map((i) => i.json);
export const pairedOf = (items: INodeExecutionData[]) => items.map((i) => (i.pairedItem as { item: number }).item);

export interface BadInput {
	/** Seeds DocFlow and gives the run: one bad item among good ones. */
	setup: (emulator: DocflowEmulator) => Promise<{ parameters: Record<string, unknown>; items: InputItem[] }>;
	bad: number;
	message: string | RegExp;
	description?: RegExp;
	/** Refused while the items are checked, before the run's first request. */
	upFront?: boolean;
	/**
	 * The write the items make (e.g. 'review/task/submit') and how many reach DocFlow: none for
	 * the bad item, so only the good items' when the run continues, and only those before the
	 * bad item when it stops.
	 */
	writes?: { endpoint: string; stopped: number; continued: number };
}

/**
 * Runs a bad input three ways (stop on error, Continue using regular output, Continue using
 * error output), each from a fresh emulator, and checks the message, that it names the item,
 * that the bad item's error comes out on its own output (regular: `error` beside the known
 * fields; error output: everything inside `error`) and the good items' results are intact.
 */
export async function expectBadInput(emulator: DocflowEmulator, c: BadInput): Promise<{ stopped: RunResult; regular: RunResult; errorOutput: RunResult }> {
	const runs: Record<string, RunResult> = {};
	for (const [mode, options] of [
		['stopped', {}],
		['regular', { onError: 'continueRegularOutput' as const }],
		['errorOutput', { onError: 'continueErrorOutput' as const }],
	] as const) {
		emulator.reset();
		const { parameters: p, items } = await c.setup(emulator);
		emulator.clearRequests();
		const result = await runDocflow({ parameters: p, items, credentials: credential(emulator), ...options });
		runs[mode] = result;
		const requests = [...emulator.requests];
		if (mode === 'stopped') {
			expect(result.error?.message).toMatch(c.message);
			expect(result.error?.message).toMatch(new RegExp(`\\[item ${c.bad}\\]$`));
			expect(result.error?.description).toBeTruthy();
			if (c.description) expect(result.error?.description).toMatch(c.description);
			if (c.upFront) expect(requests.map((r) => r.path)).toEqual([]);
			expect(result.items).toEqual([]);
		} else if (mode === 'regular') {
			expect(result.error).toBeUndefined();
			const failed = result.items.filter((i) => i.json.error !== undefined);
			expect(pairedOf(failed)).toEqual([c.bad]);
			expect(failed[0].json.error).toMatch(c.message);
			if (c.description) expect(failed[0].json.description).toMatch(c.description);
			const good = result.items.filter((i) => i.json.error === undefined);
			expect(new Set(pairedOf(good))).toEqual(new Set(items.map((_, k) => k).filter((k) => k !== c.bad)));
		} else {
			expect(result.error).toBeUndefined();
			expect(pairedOf(result.errorItems)).toEqual([c.bad]);
			expect((result.errorItems[0].json.error as { message: string }).message).toMatch(c.message);
			expect(result.items.every((i) => i.json.error === undefined)).toBe(true);
			expect(new Set(pairedOf(result.items))).toEqual(new Set(items.map((_, k) => k).filter((k) => k !== c.bad)));
		}
		if (c.writes) {
			const sent = requests.filter((r) => r.path.endsWith(`/${c.writes!.endpoint}`));
			expect(sent).toHaveLength(mode === 'stopped' ? c.writes.stopped : c.writes.continued);
		}
	}
	return runs as { stopped: RunResult; regular: RunResult; errorOutput: RunResult };
}
