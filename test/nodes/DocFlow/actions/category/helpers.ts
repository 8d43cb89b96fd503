// Shared by the Category, Category Field and Category Table tests.
import { call } from '../../../../emulator/helpers.ts';
import type { DocflowEmulator, RecordedRequest } from '../../../../emulator/index.ts';
import { runDocflow } from '../../../../harness/engine.ts';
import type { RunOptions, RunResult } from '../../../../harness/engine.ts';
import { WORKSPACE_ID } from '../../../../harness/fixtures.ts';

/** The emulator's default categories of workspace 1234567890. */
export const INVOICE = '1900000000000000001';
export const RECEIPT = '1900000000000000002';
export const CONTRACT = '1900000000000000003';
export const OLD_FORM = '1900000000000000004';

/** The category (or field, table) locator as the editor stores “From List” and “By ID”. */
export const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** The requests the emulator received for one endpoint, e.g. 'category/fields/batch_add'. */
export function hits(emulator: DocflowEmulator, endpoint: string): RecordedRequest[] {
	return emulator.requests.filter((r) => r.path.endsWith(`/v2/${endpoint}`));
}

/** Requests that change something (everything but the lists). */
export function writes(emulator: DocflowEmulator): RecordedRequest[] {
	return emulator.requests.filter((r) => r.method === 'POST');
}

/** What DocFlow has now, read straight from the emulator (not through the node). */
export async function fieldsNow(emulator: DocflowEmulator, categoryId = INVOICE) {
	const r = await call(emulator.url, 'GET', 'category/fields/list', { query: { workspace_id: WORKSPACE_ID, category_id: categoryId } });
	return r.json.result as {
		fields: Array<Record<string, unknown> & { id: string; name: string }>;
		tables: Array<Record<string, unknown> & { id: string; name: string; fields: Array<Record<string, unknown> & { id: string; name: string }> }>;
	};
}

export async function categoriesNow(emulator: DocflowEmulator) {
	const r = await call(emulator.url, 'GET', 'category/list', { query: { workspace_id: WORKSPACE_ID, enabled: 'all', page_size: 100 } });
	return r.json.result.categories as Array<Record<string, unknown> & { id: string; name: string }>;
}

/**
 * Runs the same workflow three ways, on a fresh emulator each time: stopping on the error, with
 * Continue (using regular output) and with Continue (using error output). Checks that item
 * `itemIndex` fails with `message` each way, on its own paired output, and returns the runs.
 * `beforeAnyRequest` (an input error): stopping, the node sent nothing at all.
 */
export async function expectItemError(
	emulator: DocflowEmulator,
	options: Omit<RunOptions, 'onError' | 'continueOnFail'>,
	itemIndex: number,
	message: string,
	{ beforeAnyRequest = true } = {},
): Promise<{ stopped: RunResult; regular: RunResult; errorOutput: RunResult }> {
	emulator.reset();
	const stopped = await runDocflow(options);
	expect(stopped.error?.message).toBe(message);
	if (beforeAnyRequest) expect(emulator.requests).toHaveLength(0);

	emulator.reset();
	const regular = await runDocflow({ ...options, onError: 'continueRegularOutput' });
	expect(regular.error).toBeUndefined();
	const failed = regular.items.filter((i) => i.json.error !== undefined);
	expect(failed.map((i) => [i.pairedItem, i.json.error])).toContainEqual([{ item: itemIndex }, message]);

	emulator.reset();
	const errorOutput = await runDocflow({ ...options, onError: 'continueErrorOutput' });
	expect(errorOutput.error).toBeUndefined();
	expect(errorOutput.errorItems.map((i) => [i.pairedItem, (i.json.error as { message: string }).message])).toContainEqual([
		{ item: itemIndex },
		message,
	]);
	// Only failed items go to the error output, and none of them to the regular one.
	expect(errorOutput.items.some((i) => i.json.error !== undefined)).toBe(false);
	return { stopped, regular, errorOutput };
}
