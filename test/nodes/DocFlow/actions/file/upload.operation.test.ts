import { runDocflow } from '../../../../harness/engine.ts';
import {
	WORKSPACE_ID,
	credentialFor,
	sample,
	sha256,
	useEmulator,
	workspace,
} from '../../../../harness/fixtures.ts';

const env = useEmulator();

const uploadParameters = (extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	...extra,
});

describe('File → Upload', () => {
	test('sends one PDF as multipart through n8n’s engine and outputs the receipt', async () => {
		const pdf = sample('simple.pdf');
		const result = await runDocflow({
			parameters: uploadParameters(),
			credentials: credentialFor(env.emulator),
			items: [{ binary: { data: { data: pdf, fileName: 'simple.pdf', mimeType: 'application/pdf' } } }],
		});
		expect(result.error).toBeUndefined();
		const uploads = env.emulator.requests.filter((r) => r.path.endsWith('file/upload'));
		expect(uploads).toHaveLength(1);
		const [request] = uploads;
		expect(request.method).toBe('POST');
		expect(request.auth).toMatchObject({ mode: 'simple', valid: true });
		expect(request.headers['x-ti-app-id']).toBe('demo-app-id');
		expect(request.query.workspace_id).toBe(WORKSPACE_ID);
		expect(request.query.batch_number).toMatch(/^\d{19}$/);
		expect(request.parts).toEqual([
			{
				name: 'file',
				filename: 'simple.pdf',
				contentType: 'application/pdf',
				size: pdf.length,
				sha256: sha256(pdf),
			},
		]);
		expect(result.items).toHaveLength(1);
		const [task] = env.emulator.tasks();
		expect(result.items[0].json).toEqual({
			workspace_id: WORKSPACE_ID,
			batch_number: request.query.batch_number,
			file_id: task.fileId,
			task_id: task.taskId,
			name: 'simple.pdf',
			format: 'pdf',
			binary_field: 'data',
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});
});
