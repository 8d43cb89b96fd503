// Shared by the Workspace operation tests: parameters, the requests the emulator saw, and a bad
// input run the three ways n8n can handle an item's error.
import type { INodeExecutionData } from 'n8n-workflow';

import { runDocflow } from '../../../../harness/engine.ts';
import type { InputItem, RunResult } from '../../../../harness/engine.ts';
import { ENTERPRISE_ID, credentialFor } from '../../../../harness/fixtures.ts';
import type { DocflowEmulator, RecordedRequest } from '../../../../emulator/index.ts';

export const OTHER_ENTERPRISE_WORKSPACE = '3234567890';

export function workspaceParameters(operation: string, extra: Record<string, unknown> = {}) {
	return { resource: 'workspace', operation, ...extra };
}

/** The credential with the enterprise, as the Workspace picker needs it too. */
export function credential(emulator: DocflowEmulator, overrides: Record<string, unknown> = {}) {
	return credentialFor(emulator, { enterpriseId: ENTERPRISE_ID, ...overrides });
}

/** The requests to one endpoint (e.g. 'workspace/create'), in order. */
export function requestsTo(emulator: DocflowEmulator, endpoint: string): RecordedRequest[] {
	return emulator.requests.filter((r) => r.path.endsWith(`/${endpoint}`));
}

/** Method and endpoint of every request, in order: what went over the wire. */
export function wire(emulator: DocflowEmulator): string[] {
	return emulator.requests.map((r) => `${r.method} ${r.path.split('/platform/v2/')[1]}`);
}

export const jsonOf = (items: INodeExecutionData[]) => items.map((i) => i.json);

export interface BadInputRuns {
	stopped: RunResult;
	regular: RunResult;
	errorOutput: RunResult;
}

/**
 * One bad item among good ones, run three ways: stop on error, Continue (using regular
 * output), Continue (using error output). The emulator's state and request log are reset
 * before each run, so each run's requests are its own.
 */
export async function runBadInput(
	emulator: DocflowEmulator,
	parameters: Record<string, unknown>,
	items: InputItem[],
	credentials = credential(emulator),
	prepare: () => void = () => {},
): Promise<BadInputRuns> {
	const runs: Partial<BadInputRuns> = {};
	for (const [key, options] of [
		['stopped', {}],
		['regular', { onError: 'continueRegularOutput' as const }],
		['errorOutput', { onError: 'continueErrorOutput' as const }],
	] as const) {
		emulator.reset();
		prepare();
		runs[key] = await runDocflow({ parameters, credentials, items, ...options });
		(runs[key] as RunResult & { requests?: RecordedRequest[] }).requests = [...emulator.requests];
	}
	return runs as BadInputRuns;
}

/** The emulator's requests during one of runBadInput's runs. */
export const requestsOf = (run: RunResult) => (run as RunResult & { requests: RecordedRequest[] }).requests;
