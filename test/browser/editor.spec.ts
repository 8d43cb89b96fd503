/**
 * The package in n8n's editor, in a real browser: `n8n start` (2.40.7) with the packed package
 * installed as a community package, Debian's Chromium driven by playwright-core, the DocFlow
 * emulator behind the credential. What a person sees is asserted (texts, fields, switches,
 * list entries, icons that loaded), and screenshots of it go to docs/screenshots/.
 *
 * Run with `bash scripts/browser.sh` (installs what it needs, then runs this file through
 * jest.browser.config.js).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DocFlowApi } from '../../credentials/DocFlowApi.credentials';
import { DocFlow } from '../../nodes/DocFlow/DocFlow.node';

import { startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator } from '../emulator/index.ts';
import { N8N_SH, N8nFolder, REPO, SAMPLES, n8nSh, packPackage, stopServer } from '../e2e/n8n.ts';
import { CHROMIUM, VIEWPORT, launchChromium } from './playwright.ts';
import type { BrowserContext, Locator, Page, Response } from './playwright.ts';

const VERSION = '2.40.7';
const SHOTS = join(REPO, 'docs', 'screenshots');
/** failure screenshots and n8n's log of a failed run (git-ignored) */
const FAILURES = join(REPO, '.tmp', 'browser');
const OWNER = { email: 'owner@example.com', password: 'Browser-owner-pass-1' };
/** a fixed emulator port when it is free, so the Base URL in the screenshots stays the same */
const PREFERRED_EMULATOR_PORT = Number(process.env.DOCFLOW_BROWSER_EMULATOR_PORT ?? 18765);

const RIGHT_SECRET = 'demo-secret-code';
const WRONG_SECRET = 'not-the-secret-code';
/** the message of the credential's test rule for DocFlow's code 40102, read from the credential itself */
const FILE_OPERATIONS = (
	new DocFlow().description.properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('file'),
	)?.options as Array<{ name: string }>
).map((o) => o.name);
const WRONG_SECRET_MESSAGE = String(
	new DocFlowApi().test.rules?.find((rule) => rule.type === 'responseSuccessBody' && rule.properties.value === 40102)
		?.properties.message,
);

describe(`DocFlow in n8n ${VERSION}'s editor (Chromium)`, () => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder | undefined;
	let server: ChildProcess | undefined;
	let serverLog = '';
	let base = '';
	let context: BrowserContext | undefined;
	let page: Page;
	let profileDir = '';
	/** requests Chromium tried to send off this machine (the route below refuses them) */
	const blocked = new Set<string>();
	/** answers ≥ 400 for the package's icons, node types and dynamic parameters */
	const failedResponses: string[] = [];
	const pageErrors: string[] = [];

	// ---------- helpers ----------

	const ndv = () => page.locator('[data-test-id="ndv"]');
	const params = () => page.locator('[data-test-id="node-parameters"]');
	const param = (name: string) => page.locator(`[data-test-id="parameter-input-${name}"]`);
	const credentialDialog = () => page.locator('[data-test-id="credential-edit-dialog"]');

	async function shown(locator: Locator, what: string, timeout = 20_000): Promise<void> {
		try {
			await locator.first().waitFor({ state: 'visible', timeout });
		} catch (error) {
			throw new Error(`${what}: not shown within ${timeout} ms (${(error as Error).message.split('\n')[0]})`);
		}
	}

	async function gone(locator: Locator, what: string, timeout = 10_000): Promise<void> {
		try {
			await locator.first().waitFor({ state: 'hidden', timeout });
		} catch (error) {
			throw new Error(`${what}: still shown after ${timeout} ms (${(error as Error).message.split('\n')[0]})`);
		}
	}

	/** the labels of the parameters the panel shows, in order (credential slot excluded) */
	async function parameterLabels(): Promise<string[]> {
		return await params().evaluate((root: any) => {
			const labels: string[] = [];
			for (const el of root.querySelectorAll('label, [data-test-id="input-label"], .n8n-input-label, .parameter-name')) {
				if (el.offsetParent === null) continue;
				const text = String(el.innerText ?? '').split('\n')[0].trim();
				if (text && !labels.includes(text)) labels.push(text);
			}
			return labels;
		});
	}

	/** what a parameter shows: the text of its input, or the selected option */
	async function valueOf(name: string): Promise<string> {
		return await param(name).evaluate((el: any) => {
			const input = el.querySelector('input:not([type="checkbox"]), textarea');
			if (input && input.value) return String(input.value).trim();
			const selected = el.querySelector('.el-select__selected-item, .el-select__placeholder, .el-input__inner');
			return String((selected ?? el).innerText ?? '').trim();
		});
	}

	async function switchIsOn(name: string): Promise<boolean> {
		return (await param(name).locator('[role="switch"]').getAttribute('aria-checked')) === 'true';
	}

	async function flip(name: string): Promise<void> {
		const before = await switchIsOn(name);
		await param(name).locator('.el-switch').click();
		expect(await switchIsOn(name)).toBe(!before);
	}

	/** a collection's "Add …" dropdown, found by its placeholder */
	const addButton = (placeholder: string) =>
		page.locator('[data-test-id="collection-parameter-add"]').filter({ has: page.locator(`input[placeholder="${placeholder}"]`) });

	/** clicks a dropdown open (a second click when the first one landed while it was opening) */
	async function openDropdown(trigger: Locator, what: string): Promise<Locator> {
		const options = page.locator('[role="option"]:visible');
		// the previous dropdown's options fade out: wait until they are gone
		await options.first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
		await trigger.click();
		try {
			await options.first().waitFor({ state: 'visible', timeout: 3_000 });
		} catch {
			await trigger.click();
		}
		await shown(options, what);
		return options;
	}

	/** opens a parameter's dropdown and picks the option that shows `label` */
	async function choose(name: string, label: string): Promise<string[]> {
		const options = await openDropdown(param(name), `the options of ${name}`);
		const texts = (await options.allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await options.filter({ hasText: label }).first().click();
		await gone(page.locator('[role="option"]:visible'), `the options of ${name}`);
		return texts;
	}

	/** the × of the credential dialog (an edited credential's dialog stays open after a passed test) */
	async function closeCredentialDialog(): Promise<void> {
		const dialog = credentialDialog();
		if (!(await dialog.isVisible())) return;
		await page.locator('.el-dialog:visible .el-dialog__headerbtn, .el-dialog:visible [aria-label="Close"]').last().click();
		await gone(dialog, 'the credential dialog');
	}

	async function dismissToasts(): Promise<void> {
		for (let i = 0; i < 5; i++) {
			const close = page.locator('.el-notification__closeBtn:visible');
			if ((await close.count()) === 0) return;
			await close.first().click({ timeout: 2_000 }).catch(() => undefined);
			await page.waitForTimeout(150);
		}
	}

	async function scrollParametersToTop(): Promise<void> {
		await params()
			.evaluate((el: any) => {
				for (let p = el; p; p = p.parentElement) if (p.scrollTop > 0) p.scrollTop = 0;
			})
			.catch(() => undefined);
	}

	/** every icon of the package on the page has loaded (a broken image has naturalWidth 0) */
	async function packageIconsLoaded(where: string): Promise<number> {
		const icons = page.locator('img[src*="/icons/n8n-nodes-docflow/"]');
		await shown(icons, `the DocFlow icon in ${where}`);
		const states = await icons.evaluateAll((els: any[]) =>
			els.filter((e) => e.offsetParent !== null).map((e) => ({ src: e.getAttribute('src'), ok: e.complete && e.naturalWidth > 0 })),
		);
		expect(states.length).toBeGreaterThan(0);
		for (const state of states) {
			if (!state.ok) throw new Error(`the icon ${state.src} in ${where} did not load`);
		}
		return states.length;
	}

	/**
	 * A 1440×900 PNG under docs/screenshots, with the pointer parked at the top edge and n8n's
	 * passing toasts ("Credential successfully created"…) left out, so that runs compare.
	 */
	async function screenshot(name: string): Promise<void> {
		await page.mouse.move(VIEWPORT.width / 2, 6);
		await page.waitForTimeout(300);
		const path = join(SHOTS, name);
		await page.screenshot({ path, animations: 'disabled', caret: 'hide', style: '.el-notification { visibility: hidden !important; }' });
		const png = readFileSync(path);
		expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([VIEWPORT.width, VIEWPORT.height]);
		process.stderr.write(`[browser] screenshot docs/screenshots/${name} (${Math.round(png.length / 1024)} KiB)\n`);
	}

	function credentialTest(): Promise<Response> {
		return page.waitForResponse((r) => r.url().endsWith('/rest/credentials/test') && r.request().method() === 'POST', {
			timeout: 30_000,
		});
	}

	/** the test's body; on failure a screenshot and n8n's log go to .tmp/browser/ */
	async function step(name: string, body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (error) {
			mkdirSync(FAILURES, { recursive: true });
			const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
			await page?.screenshot({ path: join(FAILURES, `${slug}.png`) }).catch(() => undefined);
			writeFileSync(join(FAILURES, 'n8n.log'), serverLog);
			(error as Error).message += `\n(screenshot: .tmp/browser/${slug}.png, n8n's log: .tmp/browser/n8n.log)`;
			throw error;
		}
	}

	async function startEmulator(): Promise<DocflowEmulator> {
		try {
			return await startDocflowEmulator({ port: PREFERRED_EMULATOR_PORT });
		} catch {
			return await startDocflowEmulator();
		}
	}

	// ---------- n8n, the emulator and Chromium ----------

	beforeAll(async () => {
		mkdirSync(SHOTS, { recursive: true });
		rmSync(FAILURES, { recursive: true, force: true });
		emulator = await startEmulator();
		const tgz = process.env.DOCFLOW_E2E_TGZ ?? (await packPackage());
		folder = await N8nFolder.create(VERSION, tgz, [SAMPLES]);

		const port = Number((await n8nSh(['free-port'])).stdout.trim());
		base = `http://localhost:${port}`;
		// its own process group, so the task runner n8n starts goes down with it
		server = spawn('bash', [N8N_SH, 'start', VERSION, folder.dir, String(port)], {
			cwd: REPO,
			env: { ...process.env, ...folder.env, N8N_LOG_LEVEL: 'warn', N8N_DEFAULT_LOCALE: 'en' },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
		server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
		const ready = await n8nSh(['wait-healthy', String(port), '180']);
		if (ready.code !== 0) throw new Error(`n8n start did not become ready\n${ready.stderr}\n${serverLog.slice(-6000)}`);
		const owner = await n8nSh(['owner-setup', String(port), OWNER.email, OWNER.password, 'Demo', 'User']);
		if (owner.code !== 0) throw new Error(`owner setup failed: ${owner.stderr}`);

		const browser = await launchChromium();
		context = browser.context;
		page = browser.page;
		profileDir = browser.userDataDir;
		context.setDefaultTimeout(20_000);
		// nothing leaves the machine: the editor asks the npm registry about community packages
		await context.route(
			(url) => !['localhost', '127.0.0.1'].includes(url.hostname) && url.protocol !== 'data:' && url.protocol !== 'blob:',
			async (route) => {
				blocked.add(route.request().url());
				await route.abort();
			},
		);
		page.on('response', (r) => {
			if (r.status() >= 400 && /\/icons\/n8n-nodes-docflow\/|\/types\/|\/rest\/dynamic-node-parameters\//.test(r.url())) {
				failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
			}
		});
		page.on('pageerror', (e) => pageErrors.push(e.message));
		process.stderr.write(
			`[browser] n8n ${VERSION} on ${base}, emulator on ${emulator.url}, Chromium ${CHROMIUM} via playwright-core ${browser.playwrightVersion}\n`,
		);
	}, 5 * 60_000);

	afterAll(async () => {
		await context?.close().catch(() => undefined);
		await stopServer(server);
		await emulator?.close();
		if (process.env.DOCFLOW_BROWSER_KEEP !== '1') {
			for (const dir of [profileDir, folder?.dir]) if (dir) rmSync(dir, { recursive: true, force: true });
		}
		if (blocked.size > 0) {
			process.stderr.write(`[browser] requests off this machine that were refused: ${[...blocked].join(', ')}\n`);
		}
	}, 60_000);

	// ---------- the tests, in the order a person goes ----------

	test('signs in with the owner account', async () => {
		await step('sign in', async () => {
			await page.goto(`${base}/signin`);
			await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
			await page.locator('input[name="password"]').fill(OWNER.password);
			await page.locator('[data-test-id="form-submit-button"]').click();
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
			await shown(page.locator('[data-test-id="main-sidebar-settings"], [data-test-id="project-home-menu-item"]'), 'the main menu');
		});
	});

	test('nodes panel: searching "docflow" lists DocFlow, with its icon and description', async () => {
		await step('search docflow', async () => {
			await page.goto(`${base}/workflow/new`);
			await page.locator('[data-test-id="canvas-plus-button"]').click();
			const search = page.locator('[data-test-id="node-creator-search-bar"]');
			await shown(search, 'the nodes panel search');
			await search.fill('docflow');
			const item = page.locator('[data-test-id="item-iterator-item"]').filter({
				has: page.locator('[data-test-id="node-creator-item-name"]').getByText('DocFlow', { exact: true }),
			});
			await shown(item, 'DocFlow in the results for "docflow"');
			expect((await page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts())[0].trim()).toBe('DocFlow');
			expect(await item.first().locator('[data-test-id="node-creator-item-description"]').innerText()).toContain(
				'Parse, classify, split and extract fields and tables from documents with TextIn DocFlow',
			);
			await packageIconsLoaded('the nodes panel');
			await screenshot('nodes-panel-search-docflow.png');
		});
	});

	test.each([
		['invoice', true],
		['OCR', false],
		['receipt', false],
		['TextIn', false],
	])('nodes panel: searching the alias "%s" lists DocFlow too', async (alias, takeScreenshot) => {
		await step(`search ${alias}`, async () => {
			await page.locator('[data-test-id="node-creator-search-bar"]').fill(alias);
			const names = page.locator('[data-test-id="node-creator-item-name"]');
			await shown(names.getByText('DocFlow', { exact: true }), `DocFlow in the results for "${alias}"`);
			const all = (await names.allInnerTexts()).map((t) => t.trim());
			expect(all).toContain('DocFlow');
			process.stderr.write(`[browser] "${alias}": DocFlow is result ${all.indexOf('DocFlow') + 1} of ${all.length}\n`);
			if (takeScreenshot) await screenshot(`nodes-panel-search-${alias.toLowerCase()}.png`);
		});
	});

	test("DocFlow's actions: Upload files, Fetch batch results, Retry a task; adding it opens its parameters", async () => {
		await step('actions', async () => {
			await page.locator('[data-test-id="node-creator-search-bar"]').fill('docflow');
			await page.locator('[data-test-id="node-creator-item-name"]').getByText('DocFlow', { exact: true }).click();
			const actions = page.locator('[data-test-id="item-iterator-item"]');
			for (const action of ['Upload files', 'Fetch batch results', 'Retry a task']) {
				await shown(actions.filter({ hasText: action }), `the action "${action}"`);
			}
			await shown(page.getByText('Parse, classify, split and extract fields and tables from documents with TextIn DocFlow'), 'the node details');
			await packageIconsLoaded('the node details');
			await screenshot('nodes-panel-docflow-actions.png');

			await actions.filter({ hasText: 'Upload files' }).first().click();
			await shown(ndv(), 'the node details view');
			await shown(param('operation'), 'the Operation parameter');
			expect(await valueOf('resource')).toBe('File');
			expect(await valueOf('operation')).toBe('Upload');
			await packageIconsLoaded('the node details view');
		});
	});

	test('DocFlow API credential: created from the node, the test passes against the emulator', async () => {
		await step('credential ok', async () => {
			const connect = page.locator('[data-test-id="node-credentials-empty-state"]');
			await shown(connect, 'the "Connect to DocFlow" button');
			expect(await connect.innerText()).toContain('DocFlow');
			await connect.click();
			const dialog = credentialDialog();
			await shown(dialog, 'the credential dialog');
			await shown(page.getByText('DocFlow API', { exact: true }), 'the credential type "DocFlow API" in the dialog header');
			for (const field of ['appId', 'secretCode', 'region', 'enterpriseId', 'authentication']) {
				await shown(dialog.locator(`[data-test-id="parameter-input-${field}"]`), `the credential field ${field}`);
			}
			// Base URL only for a private deployment
			expect(await dialog.locator('[data-test-id="parameter-input-baseUrl"]').count()).toBe(0);

			await dialog.locator('[data-test-id="parameter-input-appId"] input').fill('demo-app-id');
			await dialog.locator('[data-test-id="parameter-input-secretCode"] input').fill(RIGHT_SECRET);
			await dialog.locator('[data-test-id="parameter-input-region"]').click();
			const regions = page.locator('[role="option"]:visible');
			await shown(regions, 'the Region options');
			expect((await regions.allInnerTexts()).map((t) => t.trim())).toEqual([
				'Global (docflow.textin.ai)',
				'China (docflow.textin.com)',
				'Private Deployment',
			]);
			await regions.filter({ hasText: 'Private Deployment' }).click();
			await shown(dialog.locator('[data-test-id="parameter-input-baseUrl"]'), 'the Base URL field (Private Deployment)');
			await dialog.locator('[data-test-id="parameter-input-baseUrl"] input').fill(emulator.url);
			await dialog.locator('[data-test-id="parameter-input-enterpriseId"] input').fill('1001');

			emulator.clearRequests();
			const tested = credentialTest();
			await page.locator('[data-test-id="credential-save-button"]').click();
			const result = (await (await tested).json()).data;
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			// n8n 2.40.7 closes the dialog of a new credential once its test passed
			await gone(dialog, 'the credential dialog after a successful test');
			expect(await page.locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe('DocFlow account');

			const calls = emulator.requests.filter((r) => r.path.endsWith('/auth/token'));
			expect(calls.map((r) => [r.auth.mode, r.auth.valid, r.auth.appId, r.auth.enterpriseId])).toEqual([
				['simple', true, 'demo-app-id', '1001'],
			]);
		});
	});

	test('DocFlow API credential: reopened, it shows "Connection tested successfully"; its Retry test passes again', async () => {
		await step('credential retest', async () => {
			await page.locator('[data-test-id="credential-edit-button"]').click();
			const dialog = credentialDialog();
			await shown(dialog, 'the credential dialog');
			const success = page.locator('[data-test-id="credentials-config-container-test-success"]');
			await shown(success, 'the test success banner', 30_000);
			expect(await success.innerText()).toContain('Connection tested successfully');

			emulator.clearRequests();
			const tested = credentialTest();
			await success.getByText('Retry', { exact: true }).click();
			expect((await (await tested).json()).data.status).toBe('OK');
			await shown(success.getByText('Connection tested successfully'), 'the test success banner after Retry', 30_000);
			// the button's loading state over (it changes the banner's layout for a moment)
			await shown(success.locator('button:not([disabled])').filter({ hasText: 'Retry' }), 'the Retry button, ready again');
			expect(emulator.requests.filter((r) => r.path.endsWith('/auth/token')).map((r) => r.auth.valid)).toEqual([true]);
			await shown(dialog.locator('[data-test-id="parameter-input-baseUrl"]'), 'the Base URL field');
			await screenshot('credential-test-success.png');
		});
	});

	test("DocFlow API credential: a wrong Secret Code fails with the credential's own message", async () => {
		await step('credential wrong secret', async () => {
			const dialog = credentialDialog();
			await dialog.locator('[data-test-id="parameter-input-secretCode"] input').fill(WRONG_SECRET);
			emulator.clearRequests();
			let tested = credentialTest();
			await page.locator('[data-test-id="credential-save-button"]').click();
			const failed = (await (await tested).json()).data;
			expect(failed).toEqual({ status: 'Error', message: WRONG_SECRET_MESSAGE });
			await shown(dialog.getByText(/Couldn.t connect with these settings/), 'the test failure banner', 30_000);
			await gone(page.locator('[data-test-id="credentials-config-container-test-success"]'), 'the success banner');
			const details = dialog.getByText('More details', { exact: true });
			if ((await details.count()) > 0) await details.click();
			await shown(dialog.getByText(WRONG_SECRET_MESSAGE), 'the rule message for a wrong secret');
			expect(emulator.requests.filter((r) => r.path.endsWith('/auth/token')).map((r) => r.auth.valid)).toEqual([false]);
			await screenshot('credential-test-failure.png');

			// back to the right secret: the test passes again; then the dialog is closed
			await dialog.locator('[data-test-id="parameter-input-secretCode"] input').fill(RIGHT_SECRET);
			tested = credentialTest();
			await page.locator('[data-test-id="credential-save-button"]').click();
			expect((await (await tested).json()).data.status).toBe('OK');
			await shown(page.locator('[data-test-id="credentials-config-container-test-success"]'), 'the test success banner', 30_000);
			await closeCredentialDialog();
			await shown(ndv(), 'the node details view');
		});
	});

	test('Workspace "From List" offers the enterprise\'s workspaces from DocFlow (Invoices, Contracts)', async () => {
		await step('workspace picker', async () => {
			await dismissToasts();
			const mode = page.locator('[data-test-id="rlc-mode-selector"]');
			expect((await mode.locator('input').inputValue().catch(async () => await mode.innerText())).trim()).toBe('From list');
			emulator.clearRequests();
			const loaded = page.waitForResponse((r) => r.url().includes('/rest/dynamic-node-parameters/resource-locator-results'));
			await page.locator('[data-test-id="rlc-input"]').click();
			expect((await loaded).status()).toBe(200);
			const items = page.locator('[data-test-id="rlc-item"]');
			await shown(items, 'the workspace list');
			expect((await items.allInnerTexts()).map((t) => t.trim())).toEqual(['Invoices', 'Contracts']);
			// the whole dropdown: no error from the list method next to the entries
			const dropdown = await items.first().evaluate((el: any) => String(el.parentElement?.parentElement?.innerText ?? ''));
			expect(dropdown).not.toMatch(/error|could not|couldn.t|enterprise id/i);
			const listCalls = emulator.requests.filter((r) => r.path.endsWith('/workspace/list'));
			expect(listCalls.length).toBeGreaterThan(0);
			expect(listCalls[0].query.enterprise_id).toBe('1001');
			await screenshot('workspace-picker.png');

			await items.filter({ hasText: 'Invoices' }).click();
			await gone(items, 'the workspace list');
			expect(await page.locator('[data-test-id="rlc-input"]').inputValue()).toBe('Invoices');
		});
	});

	test('Upload: Workspace, Input, Binary Field(s), Wait for Completion and Simplify (both on), Options, Parser Options', async () => {
		await step('upload parameters', async () => {
			expect(await valueOf('operation')).toBe('Upload');
			const labels = await parameterLabels();
			for (const label of ['Resource', 'Operation', 'Workspace', 'Input', 'Binary Field(s)', 'Wait for Completion', 'Simplify', 'Options', 'Parser Options']) {
				expect(labels).toContain(label);
			}
			expect(await valueOf('inputType')).toBe('Binary Files');
			expect(await valueOf('binaryPropertyName')).toBe('data');
			expect(await switchIsOn('waitForCompletion')).toBe(true);
			expect(await switchIsOn('simplify')).toBe(true);
			await shown(addButton('Add Option'), 'the Add Option button');
			await shown(addButton('Add Parser Option'), 'the Add Parser Option button');
			await scrollParametersToTop();
			await screenshot('operation-upload.png');

			// Input → File URLs swaps the binary field for the URL box
			const inputs = await choose('inputType', 'File URLs');
			expect(inputs).toEqual(['Binary Files', 'File URLs']);
			await shown(param('fileUrls'), 'the File URLs box');
			expect(await param('binaryPropertyName').count()).toBe(0);
			await choose('inputType', 'Binary Files');
			await shown(param('binaryPropertyName'), 'the Binary Field(s) box');

			// Simplify only while waiting
			await flip('waitForCompletion');
			await gone(param('simplify'), 'Simplify with Wait for Completion off');
			await flip('waitForCompletion');
			await shown(param('simplify'), 'Simplify with Wait for Completion on');
		});
	});

	test("Upload → Options → Category lists the chosen workspace's enabled categories", async () => {
		await step('category options', async () => {
			const options = await openDropdown(addButton('Add Option'), 'the Upload options');
			const names = (await options.allInnerTexts()).map((t) => t.split('\n')[0].trim());
			for (const name of ['Batch Number', 'Category Name or ID', 'Verify VAT Invoices', 'Split Files', 'One Batch for the Run', 'Timeout (Minutes)', 'Include Input File']) {
				expect(names).toContain(name);
			}
			process.stderr.write(`[browser] Upload's Add Option list: ${names.join(' | ')}\n`);
			// the categories load from DocFlow as soon as the parameter shows
			const loaded = page.waitForResponse((r) => r.url().includes('/rest/dynamic-node-parameters/options'));
			await options.filter({ hasText: 'Category Name or ID' }).first().click();
			await shown(param('category'), 'the Category parameter');
			expect((await loaded).status()).toBe(200);
			const categories = await openDropdown(param('category'), 'the Category options');
			await shown(categories.filter({ hasText: 'receipt' }), 'the categories of Invoices');
			const shownCategories = (await categories.allInnerTexts()).map((t) => t.split('\n')[0].trim());
			expect(shownCategories).toEqual(expect.arrayContaining(['发票', 'receipt', 'contract']));
			expect(shownCategories).not.toContain('old form');
			await screenshot('upload-category-options.png');
			await categories.filter({ hasText: 'receipt' }).first().click();
			await gone(page.locator('[role="option"]:visible'), 'the Category options');
			expect(await valueOf('category')).toBe('receipt');
		});
	});

	test('Fetch Batch: Workspace, Look Up By (Batch Number / File ID / Task ID / Filters Only), Return All or Limit, Filters, Simplify', async () => {
		await step('fetch batch parameters', async () => {
			const operations = await choose('operation', 'Fetch Batch');
			// every File operation, in the node's own (alphabetical) order
			expect(operations).toEqual(FILE_OPERATIONS);
			await shown(param('lookUpBy'), 'Look Up By');
			const labels = await parameterLabels();
			for (const label of ['Workspace', 'Look Up By', 'Batch Number', 'Return All', 'Filters', 'Simplify', 'Options']) {
				expect(labels).toContain(label);
			}
			expect(await valueOf('lookUpBy')).toBe('Batch Number');
			expect(await switchIsOn('returnAll')).toBe(true);
			expect(await switchIsOn('simplify')).toBe(true);
			await shown(addButton('Add Filter'), 'the Add Filter button');
			await scrollParametersToTop();
			await screenshot('operation-fetch-batch.png');

			const lookUps = await choose('lookUpBy', 'Task ID');
			expect(lookUps).toEqual(['Batch Number', 'File ID', 'Task ID', 'Filters Only']);
			await shown(param('taskId'), 'Task ID (Look Up By Task ID)');
			expect(await param('batchNumber').count()).toBe(0);
			await choose('lookUpBy', 'File ID');
			await shown(param('fileId'), 'File ID (Look Up By File ID)');
			await choose('lookUpBy', 'Batch Number');
			await shown(param('batchNumber'), 'Batch Number');

			await flip('returnAll');
			await shown(param('limit'), 'Limit with Return All off');
			await flip('returnAll');
			await gone(param('limit'), 'Limit with Return All on');
		});
	});

	test('Retry: Workspace, Task ID, Parser Options, Wait for Completion (off by default), Options', async () => {
		await step('retry parameters', async () => {
			await choose('operation', 'Retry');
			await shown(param('taskId'), 'Task ID');
			const labels = await parameterLabels();
			for (const label of ['Workspace', 'Task ID', 'Parser Options', 'Wait for Completion', 'Options']) {
				expect(labels).toContain(label);
			}
			expect(labels).not.toContain('Look Up By');
			expect(await switchIsOn('waitForCompletion')).toBe(false);
			expect(await param('simplify').count()).toBe(0);
			await scrollParametersToTop();
			await screenshot('operation-retry.png');

			await flip('waitForCompletion');
			await shown(param('simplify'), 'Simplify once Retry waits');
			await flip('waitForCompletion');
			await gone(param('simplify'), 'Simplify once Retry no longer waits');
		});
	});

	test('on the canvas: the DocFlow node with its icon, next to the trigger n8n added', async () => {
		await step('canvas', async () => {
			await page.locator('[data-test-id="ndv-close-button"]').click();
			await gone(ndv(), 'the node details view');
			const nodes = page.locator('[data-test-id="canvas-node"]');
			await shown(nodes.filter({ hasText: 'Retry a task' }), 'the DocFlow node on the canvas');
			await packageIconsLoaded('the canvas');
			await screenshot('canvas-docflow-node.png');
		});
	});

	test("no failed requests for the package's icons, node types or dynamic parameters; no page errors from it", () => {
		expect(failedResponses).toEqual([]);
		expect(pageErrors.filter((e) => /docflow/i.test(e))).toEqual([]);
		if (pageErrors.length > 0) process.stderr.write(`[browser] page errors (n8n's own): ${pageErrors.join(' | ')}\n`);
	});
});
