import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { call, form } from '../emulator/helpers.ts';
import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator, EmulatorOptions } from '../emulator/index.ts';

export const APP_ID = 'demo-app-id';
export const SECRET = 'demo-secret-code';
export const WORKSPACE_ID = '1234567890';
export const ENTERPRISE_ID = '1001';

export const SAMPLES_DIR = join(__dirname, '..', 'fixtures');

export function sample(name: string): Buffer {
	return readFileSync(join(SAMPLES_DIR, name));
}

export function sha256(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

/** The credential as n8n hands it to the node, pointed at the emulator. */
export function credentialFor(
	emulator: DocflowEmulator,
	overrides: Record<string, unknown> = {},
): ICredentialDataDecryptedObject {
	return {
		appId: APP_ID,
		secretCode: SECRET,
		region: 'private',
		baseUrl: emulator.url,
		enterpriseId: '',
		authentication: 'simple',
		...(overrides as ICredentialDataDecryptedObject),
	};
}

/** One emulator per test file, fresh state per test. */
export function useEmulator(options: EmulatorOptions = {}): { emulator: DocflowEmulator } {
	const holder = {} as { emulator: DocflowEmulator };
	beforeAll(async () => {
		holder.emulator = await startDocflowEmulator(options);
	});
	beforeEach(() => {
		holder.emulator.reset();
		if (options.stepMs !== undefined) holder.emulator.setStepMs(options.stepMs);
	});
	afterAll(async () => {
		await holder.emulator.close();
	});
	return holder;
}

/** The workspace locator value as the editor stores it for "By ID". */
export function workspace(id = WORKSPACE_ID) {
	return { __rl: true, mode: 'id', value: id };
}

/**
 * Puts files into the emulator straight over HTTP (not through the node), for tests that
 * start from files DocFlow already has. Returns the upload result as DocFlow sent it.
 */
export async function seedUpload(
	emulator: DocflowEmulator,
	names: string[],
	query: Record<string, string> = {},
): Promise<{ batch_number: string; files: Array<{ id: string; task_id: string; name: string }> }> {
	const body = form(names.map((name, i) => ({ name, data: Buffer.from(`%PDF-1.4 seed ${name} ${i}`), contentType: 'application/pdf' })));
	const response = await call(emulator.url, 'POST', 'file/upload', {
		query: { workspace_id: WORKSPACE_ID, ...query },
		form: body,
	});
	if (response.json?.code !== 200) throw new Error(`seed upload failed: ${response.text}`);
	return response.json.result;
}

/** What DocFlow's file/fetch answers for a query, read straight from the emulator. */
export async function rawFetch(emulator: DocflowEmulator, query: Record<string, string | number | boolean>) {
	const response = await call(emulator.url, 'GET', 'file/fetch', {
		query: { workspace_id: WORKSPACE_ID, ...query },
	});
	return response.json.result as { total: number; files: Array<Record<string, unknown>> };
}
