/**
 * Category Sample inside real n8n (2.40.7 and 1.123.81): the packed package installed as a
 * community package, workflows imported and run with `n8n execute-batch` against this file's
 * own DocFlow emulator. Checked twice: what the workflows output (and wrote to disk), and what
 * DocFlow received and holds.
 *
 *   node node_modules/.bin/jest -c jest.e2e.config.js test/e2e/categorySample.e2e.test.ts
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator, RecordedRequest } from '../emulator/index.ts';
import { seedSampleOf } from '../emulator/routes/categorySample.ts';
import { sha256 } from '../harness/fixtures.ts';
import { unzip } from '../nodes/DocFlow/actions/categorySample/unzip.ts';
import { N8nFolder, SAMPLES, output, packPackage, pairedIndex, versionsUnderTest } from './n8n.ts';
import type { BatchResult, Workflow, WorkflowNode } from './n8n.ts';
import {
	WORKSPACE_ID,
	connect,
	docflow,
	emulatorCredentials,
	endSuite,
	exampleForRun,
	expectAllFinished,
	expectExamplesValid,
	loadExample,
	manualTrigger,
	n8nCredentials,
	nodeNamed,
	readFiles,
	requestsOf,
	runOf,
	workflow,
} from './workflows.ts';
import type { Scenario } from './workflows.ts';

const PREFIX = '/api/app-api/sip/platform/v2/';
const INVOICE = { id: '1900000000000000001', name: '发票' };
const RECEIPT = { id: '1900000000000000002', name: 'receipt' };
const CONTRACT = { id: '1900000000000000003', name: 'contract' };
const EXAMPLE_FILE = 'category-samples-backup-and-add.json';

function sampleScenario(key: string, authentication: 'simple' | 'signature' = 'simple'): Scenario {
	const name = key.charAt(0).toUpperCase() + key.slice(1);
	return {
		workflowId: `e2eSmp${name}`.slice(0, 18).padEnd(18, '0') + '001',
		appId: `e2e-samples-${key}`,
		secretCode: `e2e-secret-samples-${key}`,
		credentialId: `e2eCredSmp${name}`.slice(0, 30),
		credentialName: `DocFlow e2e samples ${key}`,
		authentication,
	};
}

const S = {
	life: sampleScenario('life', 'signature'),
	errors: sampleScenario('errors'),
	example: sampleScenario('example'),
};

const endpoints = (requests: RecordedRequest[]) => requests.map((r) => r.path.slice(PREFIX.length));

/** A DocFlow node of the Category Sample resource, on the node's newest version. */
function samples(name: string, s: Scenario, operation: string, categoryId: string, parameters: Record<string, unknown> = {}, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return docflow(
		name,
		s,
		{ resource: 'categorySample', operation, categoryId: { __rl: true, mode: 'id', value: categoryId }, ...parameters },
		{ typeVersion: 1.2, ...extra },
	);
}

const once = (node: WorkflowNode): WorkflowNode => Object.assign(node, { executeOnce: true });

function writeFile(name: string, fileName: string): WorkflowNode {
	return {
		id: `5a3b1c2d-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [0, 0],
		parameters: { operation: 'write', fileName, dataPropertyName: 'data', options: {} },
	};
}

function splitOut(name: string, field: string): WorkflowNode {
	return {
		id: `5a3b1c2d-1111-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
		name,
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [0, 0],
		parameters: { fieldToSplitOut: field, include: 'noOtherFields', options: {} },
	};
}

describe.each(versionsUnderTest())('Category Sample in n8n %s', (version) => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let batch: BatchResult;
	let work: string;
	const dirs = { life: '', zips: '', errors: '', backups: '', newSamples: '' };
	const workflows: Workflow[] = [];

	beforeAll(async () => {
		emulator = await startDocflowEmulator({
			credentials: emulatorCredentials(Object.values(S)),
		});
		work = mkdtempSync(join(tmpdir(), `docflow-e2e-samples-${version}-`));
		for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
			dirs[key] = join(work, key);
			mkdirSync(dirs[key], { recursive: true });
		}
		copyFileSync(join(SAMPLES, 'simple.pdf'), join(dirs.life, 'invoice-sample-1.pdf'));
		copyFileSync(join(SAMPLES, 'crop_example.jpg'), join(dirs.life, 'receipt photo.jpg'));
		copyFileSync(join(SAMPLES, 'simple.pdf'), join(dirs.errors, 'good.pdf'));
		writeFileSync(join(dirs.errors, 'empty.pdf'), Buffer.alloc(0));
		copyFileSync(join(SAMPLES, 'split_example.pdf'), join(dirs.newSamples, 'contract-2024.pdf'));

		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(version, tgz, [SAMPLES, work]);
		await folder.importCredentials(
			n8nCredentials(emulator.url, Object.values(S)),
		);

		workflows.push(
			// Upload → Get Many → Download → (Write the ZIP to disk) and (one item per uploaded sample → Delete)
			workflow(
				S.life,
				'samples: upload, list, download, delete',
				[
					manualTrigger(),
					readFiles('Read samples', `${dirs.life}/*.{pdf,jpg}`),
					samples('Upload samples', S.life, 'upload', INVOICE.id),
					once(samples('List samples', S.life, 'getAll', INVOICE.id, { returnAll: true })),
					once(
						samples('Download uploaded', S.life, 'download', INVOICE.id, {
							samples: 'chosen',
							sampleIds: "={{ $('Upload samples').all().map(item => item.json.sample_id) }}",
						}),
					),
					writeFile('Write ZIP', `=${dirs.zips}/{{ $binary.data.fileName }}`),
					splitOut('One per sample', 'sample_ids'),
					samples('Delete samples', S.life, 'delete', INVOICE.id, { sampleId: { __rl: true, mode: 'id', value: '={{ $json.sample_ids }}' } }),
				],
				connect(
					['Start', 'Read samples', 'Upload samples', 'List samples', 'Download uploaded', 'Write ZIP'],
					['Download uploaded', 'One per sample', 'Delete samples'],
				),
			),
			// Bad inputs in real n8n: an empty file goes to the error output, the good one is uploaded;
			// an unknown sample on Delete comes out on the regular output.
			workflow(
				S.errors,
				'samples: errors',
				[
					manualTrigger(),
					readFiles('Read mixed', `${dirs.errors}/*.pdf`),
					samples('Upload', S.errors, 'upload', RECEIPT.id, {}, { onError: 'continueErrorOutput' }),
					samples('Delete unknown', S.errors, 'delete', RECEIPT.id, { sampleId: { __rl: true, mode: 'id', value: '4242' } }, { onError: 'continueRegularOutput' }),
				],
				connect(['Start', 'Read mixed', 'Upload'], ['Start', 'Delete unknown']),
			),
			// examples/category-samples-backup-and-add.json, its folders and category pointed at the test's
			exampleForRun(EXAMPLE_FILE, S.example, (wf) => {
				const settings = nodeNamed(wf, 'Settings').parameters as { assignments: { assignments: Array<{ name: string; value: string }> } };
				for (const a of settings.assignments.assignments) {
					if (a.name === 'backupFolder') a.value = dirs.backups;
					if (a.name === 'newSamplesFolder') a.value = dirs.newSamples;
				}
				for (const name of ['Back up samples', 'Upload samples', 'Samples now']) {
					nodeNamed(wf, name).parameters.categoryId = { __rl: true, mode: 'id', value: CONTRACT.id };
				}
			}),
		);
		await folder.importWorkflows([...workflows, loadExample(EXAMPLE_FILE)]);
		batch = await folder.executeBatch(workflows.map((w) => w.id));
	}, 15 * 60_000);

	afterAll(async () => await endSuite(version, emulator, folder, work));

	test('every workflow finished', () => {
		expectAllFinished(batch, workflows.map((w) => w.id));
	});

	test('Upload → Get Many → Download → Delete: samples byte for byte in DocFlow, in the ZIP written by Read/Write Files, then gone', async () => {
		const s = S.life;
		const r = runOf(batch, s);
		const read = output(r, 'Read samples');
		const bytes = new Map(read.map((i) => [i.binary!.data.fileName!, readFileSync(join(dirs.life, i.binary!.data.fileName!))]));
		expect([...bytes.keys()].sort()).toEqual(['invoice-sample-1.pdf', 'receipt photo.jpg']);

		const uploaded = output(r, 'Upload samples');
		expect(uploaded.map((i) => [i.json.file_name, i.json.category_id, read[pairedIndex(i)!].binary!.data.fileName]).sort()).toEqual([
			['invoice-sample-1.pdf', INVOICE.id, 'invoice-sample-1.pdf'],
			['receipt photo.jpg', INVOICE.id, 'receipt photo.jpg'],
		]);
		const ids = uploaded.map((i) => i.json.sample_id as string);
		for (const id of ids) expect(id).toMatch(/^\d{19}$/);

		const listed = output(r, 'List samples');
		expect(listed.map((i) => i.json.file_name)).toEqual(['发票-sample.pdf', ...uploaded.map((i) => i.json.file_name)]);
		expect(listed.slice(1).map((i) => i.json.sample_id)).toEqual(ids);

		const [zipItem] = output(r, 'Download uploaded');
		expect(zipItem.json).toMatchObject({ file_name: '发票_samples.zip', mime_type: 'application/zip', sample_count: 2, sample_ids: ids });
		expect(zipItem.binary?.data).toMatchObject({ fileName: '发票_samples.zip', mimeType: 'application/zip' });
		// The file n8n's Read/Write Files node wrote: the samples in it are the files read, byte for byte.
		const written = readdirSync(dirs.zips);
		expect(written).toEqual(['发票_samples.zip']);
		const zip = readFileSync(join(dirs.zips, written[0]));
		expect(zip.length).toBe(zipItem.json.file_size);
		expect(unzip(zip).map((e) => [e.name, sha256(e.data)])).toEqual(
			uploaded.map((i) => [i.json.file_name, sha256(bytes.get(i.json.file_name as string)!)]),
		);

		const deleted = output(r, 'Delete samples');
		expect(deleted.map((i) => i.json)).toEqual(ids.map((id) => ({ workspace_id: WORKSPACE_ID, category_id: INVOICE.id, sample_id: id, deleted: true })));

		// DocFlow's side: signed requests, the form fields and file parts, each sample stored once and deleted once.
		const requests = requestsOf(emulator, s);
		for (const req of requests) expect(req.auth).toMatchObject({ mode: 'signature', valid: true, secretHeader: false });
		expect(endpoints(requests)).toEqual([
			'category/sample/list',
			'category/sample/batch_upload',
			'category/sample/batch_upload',
			'category/sample/list',
			'category/sample/batch_download',
			'category/sample/list',
			'category/sample/delete',
			'category/sample/list',
			'category/sample/delete',
		]);
		const uploads = requests.filter((q) => q.path.endsWith('/batch_upload'));
		for (const req of uploads) {
			expect(req.headers['content-length']).toBe(String(req.bodyLength));
			expect(req.parts?.map((p) => p.name)).toEqual(['workspace_id', 'category_id', 'with_detail', 'files']);
			const file = req.parts![3];
			expect(file.sha256).toBe(sha256(bytes.get(file.filename!)!));
		}
		expect(requests.find((q) => q.path.endsWith('/batch_download'))?.json).toEqual({ workspace_id: WORKSPACE_ID, category_id: INVOICE.id, sample_ids: ids });
		expect(requests.filter((q) => q.path.endsWith('/delete')).map((q) => q.json)).toEqual(
			ids.map((id) => ({ workspace_id: WORKSPACE_ID, category_id: INVOICE.id, sample_ids: [id] })),
		);
		// Afterwards the category holds its seed sample only.
		const after = await fetch(`${emulator.url}${PREFIX}category/sample/list?workspace_id=${WORKSPACE_ID}&category_id=${INVOICE.id}`, {
			headers: { 'x-ti-app-id': 'demo-app-id', 'x-ti-secret-code': 'demo-secret-code' },
		}).then((res) => res.json() as Promise<{ result: { samples: Array<{ file_name: string }> } }>);
		expect(after.result.samples.map((x) => x.file_name)).toEqual(['发票-sample.pdf']);
	});

	test('errors: the empty file on the error output before anything is sent, the good one uploaded; an unknown sample on its own regular output', () => {
		const s = S.errors;
		const r = runOf(batch, s);
		const read = output(r, 'Read mixed');
		const good = output(r, 'Upload', 0);
		const bad = output(r, 'Upload', 1);
		// Every item is checked before any request, so the run's one upload carries the good file only.
		expect(good.map((i) => [i.json.file_name, read[pairedIndex(i)!].binary!.data.fileName])).toEqual([['good.pdf', 'good.pdf']]);
		expect(bad).toHaveLength(1);
		expect(read[pairedIndex(bad[0])!].binary!.data.fileName).toBe('empty.pdf');
		expect(bad[0].json.error).toMatchObject({
			message: `The file “empty.pdf” in binary field “data” is empty [item ${pairedIndex(bad[0])}]`,
			binary_field: 'data',
			file_name: 'empty.pdf',
		});
		const uploads = requestsOf(emulator, s).filter((q) => q.path.endsWith('/batch_upload'));
		expect(uploads).toHaveLength(1);
		expect(uploads[0].parts?.filter((p) => p.name === 'files').map((p) => p.filename)).toEqual(['good.pdf']);

		const [unknown] = output(r, 'Delete unknown');
		expect(unknown.json).toMatchObject({
			workspace_id: WORKSPACE_ID,
			category_id: RECEIPT.id,
			sample_id: '4242',
			error: 'Category 1900000000000000002 has no sample 4242 [item 0]',
		});
		expect(requestsOf(emulator, s).filter((q) => q.path.endsWith('/delete'))).toHaveLength(0);
	});

	test(`examples/${EXAMPLE_FILE}: the backup ZIP written, the folder's files added, the list shows them`, () => {
		const r = runOf(batch, S.example);
		const backups = readdirSync(dirs.backups);
		expect(backups).toHaveLength(1);
		expect(backups[0]).toMatch(/^\d{4}-\d{2}-\d{2}-\d{6}-contract_samples\.zip$/);
		expect(unzip(readFileSync(join(dirs.backups, backups[0]))).map((e) => [e.name, sha256(e.data)])).toEqual([
			['contract-sample.pdf', sha256(seedSampleOf(CONTRACT).data)],
		]);
		expect(output(r, 'Upload samples').map((i) => i.json.file_name)).toEqual(['contract-2024.pdf']);
		expect(output(r, 'Samples now').map((i) => i.json.file_name)).toEqual(['contract-sample.pdf', 'contract-2024.pdf']);
	});

	test(`examples/${EXAMPLE_FILE} imports unchanged, and every node, version, parameter and credential is one this n8n knows`, async () => {
		await expectExamplesValid(folder, [EXAMPLE_FILE]);
	});
});
