/**
 * The baseline: what a plain script does for the same uploads, with undici and form-data,
 * the file streamed from disk, simple authentication.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';

import FormData from 'form-data';
import { request } from 'undici';

export interface RawTarget {
	url: string;
	appId: string;
	secretCode: string;
	workspaceId: string;
}

export async function rawUpload(target: RawTarget, path: string, batchNumber: string): Promise<string> {
	const form = new FormData();
	form.append('file', createReadStream(path), {
		filename: basename(path),
		contentType: 'application/pdf',
		knownLength: statSync(path).size,
	});
	const query = new URLSearchParams({ workspace_id: target.workspaceId, batch_number: batchNumber });
	const response = await request(`${target.url}/api/app-api/sip/platform/v2/file/upload?${query}`, {
		method: 'POST',
		headers: {
			...form.getHeaders(),
			'content-length': String(form.getLengthSync()),
			'x-ti-app-id': target.appId,
			'x-ti-secret-code': target.secretCode,
		},
		body: form,
	});
	const body = (await response.body.json()) as { code: number; result: { files: Array<{ id: string }> } };
	if (body.code !== 200) throw new Error(`upload failed: ${JSON.stringify(body)}`);
	return body.result.files[0].id;
}
