/**
 * The review example (examples/review-invoices-route-by-verdict.json) inside real n8n, for each
 * n8n version under test: imported unchanged and checked the way the editor checks it, then run
 * end to end with `n8n execute-batch` against the DocFlow emulator (its folder and rule
 * repository pointed at the test's): invoices read from disk → Upload (wait) → Review Task
 * Submit (wait) → Switch on the status word. Checked twice: what every branch received, and what
 * DocFlow (the emulator, in this process) was sent.
 *
 *   node node_modules/.bin/jest -c jest.e2e.config.js test/e2e/review.e2e.test.ts
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { call } from '../emulator/helpers.ts';
import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator, RecordedRequest } from '../emulator/index.ts';
import { N8nFolder, SAMPLES, output, packPackage, pairedIndex, versionsUnderTest } from './n8n.ts';
import type { BatchResult, Run } from './n8n.ts';
import {
	DOCFLOW_NODE,
	ENTERPRISE_ID,
	WORKSPACE_ID,
	emulatorCredentials,
	endSuite,
	exampleForRun,
	expectExamplesValid,
	loadExample,
	nodeNamed,
} from './workflows.ts';
import type { Scenario } from './workflows.ts';

const EXAMPLE = 'review-invoices-route-by-verdict.json';
const INVOICE_CATEGORY = '1900000000000000001';
const RECEIPT_CATEGORY = '1900000000000000002';
const CONTRACT_CATEGORY = '1900000000000000003';

/** This suite's own DocFlow credential, so the emulator's log tells its requests apart. */
const REVIEW: Scenario = {
	workflowId: 'e2eReviewExample00001',
	appId: 'e2e-review',
	secretCode: 'e2e-secret-review',
	credentialId: 'e2eCredReview',
	credentialName: 'DocFlow e2e review',
	authentication: 'signature',
};

/** The documents in the folder: an invoice passes, a receipt is rejected, a contract's review fails, an empty file is refused. */
const FILES = { invoice: 'invoice-march.pdf', receipt: 'receipt-taxi.jpg', contract: 'contract-acme.pdf', empty: 'empty-scan.pdf' };

async function seed(emulator: DocflowEmulator, endpoint: string, json: Record<string, unknown>) {
	const r = await call(emulator.url, 'POST', endpoint, { json, appId: REVIEW.appId, secret: REVIEW.secretCode });
	if (r.json?.code !== 200) throw new Error(`seeding ${endpoint}: ${r.text}`);
	return r.json.result;
}

function requestsTo(emulator: DocflowEmulator, endpoint: string): RecordedRequest[] {
	return emulator.requests.filter((r) => r.headers['x-ti-app-id'] === REVIEW.appId && r.path.endsWith(`/${endpoint}`));
}

describe.each(versionsUnderTest())('n8n %s: review every processed invoice and route it by verdict', (version) => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder;
	let batch: BatchResult;
	let work: string;
	let runResult: Run;
	const repo = { id: '', ruleIds: [] as string[] };

	beforeAll(async () => {
		emulator = await startDocflowEmulator({
			credentials: [...emulatorCredentials(), { appId: REVIEW.appId, secretCode: REVIEW.secretCode, enterpriseIds: [ENTERPRISE_ID] }],
			stepMs: 150,
		});
		work = mkdtempSync(join(tmpdir(), `docflow-e2e-review-${version}-`));
		const inbox = join(work, 'invoices');
		mkdirSync(inbox, { recursive: true });
		copyFileSync(join(SAMPLES, 'simple.pdf'), join(inbox, FILES.invoice));
		copyFileSync(join(SAMPLES, 'crop_example.jpg'), join(inbox, FILES.receipt));
		copyFileSync(join(SAMPLES, 'split_example.pdf'), join(inbox, FILES.contract));
		writeFileSync(join(inbox, FILES.empty), Buffer.alloc(0));

		// The rule repository the workflow reviews against, set up in DocFlow beforehand.
		repo.id = String((await seed(emulator, 'review/rule_repo/create', { workspace_id: WORKSPACE_ID, name: 'Invoice checks' })).repo_id);
		const groupId = (await seed(emulator, 'review/rule_group/create', { workspace_id: WORKSPACE_ID, repo_id: repo.id, name: 'Compliance' })).group_id;
		for (const rule of [
			{
				name: 'Amount in range',
				prompt: 'The total amount is above 0 and below 1,000,000',
				category_ids: [INVOICE_CATEGORY],
				risk_level: 10,
				referenced_fields: [{ category_id: INVOICE_CATEGORY, fields: [{ field_id: 'f-total', field_name: 'Total Amount' }] }],
			},
			{ name: 'Receipt signed', prompt: 'Reject a receipt nobody signed', category_ids: [RECEIPT_CATEGORY], risk_level: 20 },
			{ name: 'Contract parties', prompt: 'This check will fail once', category_ids: [CONTRACT_CATEGORY], risk_level: 30 },
		]) {
			repo.ruleIds.push((await seed(emulator, 'review/rule/create', { workspace_id: WORKSPACE_ID, repo_id: repo.id, group_id: groupId, ...rule })).rule_id);
		}

		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(version, tgz, [SAMPLES, work]);
		await folder.importCredentials([
			{
				id: REVIEW.credentialId,
				name: REVIEW.credentialName,
				type: 'docFlowApi',
				data: {
					appId: REVIEW.appId,
					secretCode: REVIEW.secretCode,
					region: 'private',
					baseUrl: emulator.url,
					enterpriseId: ENTERPRISE_ID,
					authentication: REVIEW.authentication,
				},
			},
		]);
		const runnable = exampleForRun(EXAMPLE, REVIEW, (wf) => {
			const settings = nodeNamed(wf, 'Settings').parameters as { assignments: { assignments: Array<{ name: string; value: string }> } };
			settings.assignments.assignments[0].value = inbox;
			(nodeNamed(wf, 'Review against the rules').parameters.ruleRepository as { value: string }).value = repo.id;
		});
		// the example as shipped is imported too, to check n8n keeps it as it is
		await folder.importWorkflows([runnable, loadExample(EXAMPLE)]);
		batch = await folder.executeBatch([REVIEW.workflowId]);
		const r = batch.runs.get(REVIEW.workflowId);
		if (!r) throw new Error(`the example did not finish: ${batch.errors.get(REVIEW.workflowId) ?? 'no run'}\n${batch.stderr.slice(-6000)}`);
		runResult = r;
	}, 15 * 60_000);

	afterAll(async () => await endSuite(version, emulator, folder, work));

	test('the run finished; each document took its branch', () => {
		expect(Object.fromEntries(batch.errors)).toEqual({});
		expect(runResult.data.resultData.error).toBeUndefined();
		const read = output(runResult, 'Read invoices');
		expect(read.map((i) => i.binary?.data?.fileName).sort()).toEqual(Object.values(FILES).sort());

		// Upload: three documents extracted, the empty one refused before sending (error output)
		const extracted = output(runResult, 'Extract invoices');
		expect(extracted.map((i) => i.json.file_name).sort()).toEqual([FILES.contract, FILES.invoice, FILES.receipt].sort());
		const notProcessed = output(runResult, 'Not processed');
		expect(notProcessed).toHaveLength(1);
		expect(notProcessed[0].json.error.message).toMatch(new RegExp(`“${FILES.empty}” in binary field “data” is empty`));

		// Review: one verdict per extracted document; the contract's review failed (error output)
		const verdicts = output(runResult, 'Review against the rules');
		expect(verdicts.map((i) => [extracted[pairedIndex(i)!].json.file_name, i.json.status]).sort()).toEqual(
			[
				[FILES.invoice, 'approved'],
				[FILES.receipt, 'rejected'],
			].sort(),
		);
		const failed = output(runResult, 'Review failed');
		expect(failed).toHaveLength(1);
		expect(extracted[pairedIndex(failed[0])!].json.file_name).toBe(FILES.contract);
		expect(failed[0].json.error).toMatchObject({
			status: 'failed',
			status_code: 2,
			message: expect.stringMatching(/^DocFlow could not complete review task \d+ \(Review Failed\): rule “Contract parties”/),
		});

		// Switch on the status word
		expect(output(runResult, 'Approved').map((i) => i.json)).toEqual([
			{ file: FILES.invoice, invoice_number: '28737000', total: '11300.00', review_task_id: expect.stringMatching(/^\d+$/) },
		]);
		const rejected = output(runResult, 'Rejected: check by hand').map((i) => i.json);
		expect(rejected).toEqual([
			{
				file: FILES.receipt,
				failed_rules: 'Receipt signed',
				reasons: `Receipt signed: Rejected: ${FILES.receipt} does not meet the rule “Receipt signed”.`,
				review_task_id: expect.stringMatching(/^\d+$/),
			},
		]);
		expect(runResult.data.resultData.runData['Other verdict']).toBeUndefined();
	});

	test('DocFlow received one signed review per extracted document, for its task, against the repository', () => {
		const extracted = output(runResult, 'Extract invoices');
		const taskOf = (name: string) => extracted.find((i) => i.json.file_name === name)!.json.task_id as string;
		const submits = requestsTo(emulator, 'review/task/submit');
		expect(submits.map((r) => r.json).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
			[FILES.invoice, FILES.receipt, FILES.contract]
				.map((name) => ({ workspace_id: WORKSPACE_ID, name: `Review of ${name}`, repo_id: repo.id, extract_task_ids: [taskOf(name)] }))
				.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
		);
		for (const r of [...submits, ...requestsTo(emulator, 'review/task/result'), ...requestsTo(emulator, 'review/rule_repo/get')]) {
			expect(r.auth).toMatchObject({ mode: 'signature', valid: true, secretHeader: false });
		}
		// the repository read once for the run; every review polled until its verdict, a handful of times
		expect(requestsTo(emulator, 'review/rule_repo/get')).toHaveLength(1);
		const polls = requestsTo(emulator, 'review/task/result');
		expect(polls.length).toBeGreaterThanOrEqual(3);
		expect(polls.length).toBeLessThanOrEqual(15);
		// each extraction task was looked at before its review was submitted
		expect(requestsTo(emulator, 'file/fetch').filter((r) => r.query.task_id).map((r) => r.query.task_id).sort()).toEqual(
			[FILES.invoice, FILES.receipt, FILES.contract].map(taskOf).sort(),
		);
	});

	test('the example imports unchanged, and every node, version, parameter and credential is one this n8n knows', async () => {
		const example = loadExample(EXAMPLE);
		expect(example.nodes.filter((n) => n.type === DOCFLOW_NODE).map((n) => n.parameters.resource)).toEqual(['file', 'reviewTask']);
		await expectExamplesValid(folder, [EXAMPLE]);
	});
});
