// What the Category Sample tests share: parameters, samples put straight into the emulator, and
// reading what the emulator holds (list, ZIP) and what n8n stored as binary output.
import { Container } from '@n8n/di';
import FormData from 'form-data';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { request } from 'undici';

import type { DocflowEmulator, RecordedRequest } from '../../../../emulator/index.ts';
import { call } from '../../../../emulator/helpers.ts';
import { APP_ID, SECRET, WORKSPACE_ID, workspace } from '../../../../harness/fixtures.ts';
import { unzip } from './unzip.ts';

export const PREFIX = '/api/app-api/sip/platform/v2/';
/** Categories of the emulator's workspace 1234567890. */
export const INVOICE = { id: '1900000000000000001', name: '发票' };
export const RECEIPT = { id: '1900000000000000002', name: 'receipt' };

export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
export const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

export function sampleParameters(operation: string, extra: Record<string, unknown> = {}): INodeParameters {
	return { resource: 'categorySample', operation, workspace: workspace(), categoryId: byId(INVOICE.id), ...extra } as INodeParameters;
}

export function requestsTo(emulator: DocflowEmulator, endpoint: string): RecordedRequest[] {
	return emulator.requests.filter((r) => r.path === `${PREFIX}${endpoint}`);
}

/** The endpoints the node called, in order (e.g. ['category/sample/list', 'category/sample/batch_upload']). */
export function endpointsCalled(emulator: DocflowEmulator): string[] {
	return emulator.requests.map((r) => r.path.slice(PREFIX.length));
}

/** Puts samples into a category over DocFlow's API (not through the node). */
export async function seedSamples(
	emulator: DocflowEmulator,
	files: Array<{ name: string; data: Buffer }>,
	categoryId = INVOICE.id,
): Promise<void> {
	const form = new FormData();
	form.append('workspace_id', WORKSPACE_ID);
	form.append('category_id', categoryId);
	for (const file of files) form.append('files', file.data, { filename: file.name, contentType: 'application/pdf' });
	const response = await call(emulator.url, 'POST', 'category/sample/batch_upload', { form });
	if (response.json?.code !== 200) throw new Error(`seeding samples failed: ${response.text}`);
}

/** The category's samples as DocFlow lists them. */
export async function listSamples(
	emulator: DocflowEmulator,
	categoryId = INVOICE.id,
): Promise<Array<{ sample_id: string; file_name: string }>> {
	const response = await call(emulator.url, 'GET', 'category/sample/list', {
		query: { workspace_id: WORKSPACE_ID, category_id: categoryId, page_size: 100 },
	});
	return response.json.result.samples;
}

/** Every sample of the category with its bytes, from DocFlow's ZIP. */
export async function storedSamples(emulator: DocflowEmulator, categoryId = INVOICE.id) {
	const response = await request(`${emulator.url}${PREFIX}category/sample/batch_download`, {
		method: 'POST',
		headers: { 'x-ti-app-id': APP_ID, 'x-ti-secret-code': SECRET, 'content-type': 'application/json' },
		body: JSON.stringify({ workspace_id: WORKSPACE_ID, category_id: categoryId }),
	});
	return unzip(Buffer.from(await response.body.arrayBuffer()));
}

/** A PDF-looking file with its own bytes. */
export function pdfBytes(tag: string, size = 2000): Buffer {
	const head = Buffer.from(`%PDF-1.4\n% ${tag}\n`);
	const body = Buffer.alloc(Math.max(0, size - head.length));
	for (let i = 0; i < body.length; i++) body[i] = (i * 31 + tag.length * 7) & 0xff;
	return Buffer.concat([head, body]);
}

export const pdfItem = (files: Record<string, { name: string; data: Buffer }>, json: IDataObject = {}) => ({
	json,
	binary: Object.fromEntries(
		Object.entries(files).map(([field, file]) => [field, { data: file.data, fileName: file.name, mimeType: 'application/pdf' }]),
	),
});

/** An output file's bytes, read back through n8n's binary data service (memory or filesystem). */
export async function binaryBytes(item: INodeExecutionData, field = 'data'): Promise<Buffer> {
	const binary = item.binary?.[field] as IBinaryData | undefined;
	if (!binary) throw new Error(`no binary field ${field}; has ${Object.keys(item.binary ?? {}).join(', ')}`);
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}
