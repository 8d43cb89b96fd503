/**
 * The package in n8n's editor, in a real browser: `n8n start` (2.40.7) with the packed package
 * installed as a community package, Debian's Chromium driven by playwright-core, the DocFlow
 * emulator behind the credential. What a person sees is asserted (texts, fields, switches,
 * list entries, icons that loaded), and screenshots of it go to docs/screenshots/: the nodes
 * panel (DocFlow and DocFlow Trigger), the credential, File's operations, one operation of every
 * other resource, resource locators' lists, and the trigger's panel.
 *
 * What the node and credential declare (operations, actions, the trigger's events, the
 * credential's messages) is read from n8n itself (/types/nodes.json, /types/credentials.json),
 * i.e. from the packed build, never from the work tree's sources.
 *
 * Run with `bash scripts/browser.sh` (installs what it needs, then runs this file through
 * jest.browser.config.js).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { API_PREFIX, startDocflowEmulator } from '../emulator/index.ts';
import type { DocflowEmulator } from '../emulator/index.ts';
import { N8nFolder, REPO, SAMPLES, packPackage } from '../e2e/n8n.ts';
import type { RunningN8n } from '../e2e/n8n.ts';
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
/** the seeded workspace "Invoices" of enterprise 1001 (test/emulator/data.ts) */
const INVOICES = '1234567890';

/** a node type or credential type as n8n serves it to the editor (/types/nodes.json, /types/credentials.json) */
interface Served {
	name: string;
	displayName: string;
	description?: string;
	codex?: { alias?: string[] };
	properties: Array<{
		name: string;
		displayName: string;
		type: string;
		options?: Array<{ name?: string; displayName?: string; value?: unknown; action?: string; description?: string }>;
		displayOptions?: { show?: Record<string, unknown[]> };
	}>;
	test?: { rules?: Array<{ type: string; properties: { value?: unknown; message?: string } }> };
}

describe(`DocFlow in n8n ${VERSION}'s editor (Chromium)`, () => {
	let emulator: DocflowEmulator;
	let folder: N8nFolder | undefined;
	let n8n: RunningN8n | undefined;
	let base = '';
	let context: BrowserContext | undefined;
	let page: Page;
	let profileDir = '';
	/** requests Chromium tried to send off this machine (the route below refuses them) */
	const blocked = new Set<string>();
	/** answers ≥ 400 for the package's icons, node types and dynamic parameters */
	const failedResponses: string[] = [];
	const pageErrors: string[] = [];
	/** failed answers a test asked for (a list method's error for a missing workspace) */
	const expectedFailures: string[] = [];

	/**
	 * The package as this n8n serves it (read once signed in): the packed build, never the work
	 * tree, so the expectations below come from the same commit as what the editor shows.
	 */
	let docflowType: Served;
	let triggerType: Served;
	/** the File operations in the node's own (alphabetical) order */
	let fileOperations: string[] = [];
	/** the message of the credential's test rule for DocFlow's code 40102 */
	let wrongSecretMessage = '';

	/** resource display name → value, as the node's Resource parameter lists them */
	function resourceValue(resource: string): string {
		const option = docflowType.properties.find((p) => p.name === 'resource')?.options?.find((o) => o.name === resource);
		if (!option) throw new Error(`DocFlow has no resource "${resource}"`);
		return String(option.value);
	}

	/** the Operation options (name and action) of one resource */
	function operationsOf(resource: string): Array<{ name: string; action: string }> {
		const value = resourceValue(resource);
		const operation = docflowType.properties.find(
			(p) => p.name === 'operation' && (p.displayOptions?.show?.resource ?? []).includes(value),
		);
		return (operation?.options ?? []).map((o) => ({ name: String(o.name), action: String(o.action) }));
	}

	/** the action text of one operation ("Create a workspace"), what n8n names the node after */
	function actionOf(resource: string, operation: string): string {
		const action = operationsOf(resource).find((o) => o.name === operation)?.action;
		if (!action) throw new Error(`DocFlow has no operation "${resource} → ${operation}"`);
		return action;
	}

	/** a call to the emulator's DocFlow API (simple authentication), its result */
	async function docflowApi(endpoint: string, body?: Record<string, unknown>, query?: Record<string, string>): Promise<any> {
		const url = new URL(`${emulator.url}${API_PREFIX}${endpoint}`);
		for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
		const res = await fetch(url, {
			method: body ? 'POST' : 'GET',
			headers: { 'x-ti-app-id': 'demo-app-id', 'x-ti-secret-code': RIGHT_SECRET, 'content-type': 'application/json' },
			body: body ? JSON.stringify(body) : undefined,
		});
		const json = (await res.json()) as { code: number; msg: string; result: any };
		if (json.code !== 200) throw new Error(`${endpoint}: DocFlow code ${json.code} ${json.msg}`);
		return json.result;
	}

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

	/** polls `check` until it holds */
	async function until(check: () => Promise<boolean>, what: string, timeout = 10_000): Promise<void> {
		const end = Date.now() + timeout;
		while (!(await check())) {
			if (Date.now() > end) throw new Error(`${what}: not there within ${timeout} ms`);
			await page.waitForTimeout(200);
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

	/**
	 * A collection's "Add …" control: a dropdown of its options, or a plain button when the
	 * collection has one option only.
	 */
	const addControl = (text: string) =>
		params().locator(
			`[data-test-id="collection-parameter-add"]:has(input[placeholder="${text}"]), button:has-text("${text}")`,
		);

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
		// the option that reads exactly `label` ("Rule", not "Rule Group"), else the first that holds it
		const exact = texts.indexOf(label);
		await (exact >= 0 ? options.nth(exact) : options.filter({ hasText: label }).first()).click();
		await gone(page.locator('[role="option"]:visible'), `the options of ${name}`);
		return texts;
	}

	/** the title of the open node details view (n8n names a new node after its action) */
	async function ndvTitle(): Promise<string> {
		return (await ndv().locator('[data-test-id="node-title-container"]').first().innerText()).trim();
	}

	/** the labels of the panel's parameters below Resource and Operation */
	async function operationLabels(): Promise<string[]> {
		return (await parameterLabels()).filter((l) => !['Credential', 'Resource', 'Operation'].includes(l));
	}

	/** a resource locator's "From list" entries (opened, read, closed with Escape unless `pick` is given) */
	async function locatorList(name: string, what: string, pick?: string): Promise<string[]> {
		const items = page.locator('[data-test-id="rlc-item"]:visible');
		await items.first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
		const loaded = page.waitForResponse((r) => r.url().includes('/rest/dynamic-node-parameters/resource-locator-results'));
		await param(name).locator('[data-test-id="rlc-input"]').click();
		expect((await loaded).status()).toBe(200);
		await shown(items, what);
		const texts = (await items.allInnerTexts()).map((t) => t.trim());
		if (pick !== undefined) {
			await items.filter({ hasText: pick }).first().click();
			await gone(items, what);
			expect(await param(name).locator('[data-test-id="rlc-input"]').inputValue()).toBe(pick);
		}
		return texts;
	}

	/** the Workspace "From list" set to Invoices (a new resource's panel starts without one) */
	async function chooseInvoices(): Promise<void> {
		if ((await param('workspace').locator('[data-test-id="rlc-input"]').inputValue()) === 'Invoices') return;
		await locatorList('workspace', 'the workspace list', 'Invoices');
	}

	/** the text of the open dropdown around a locator's entries or error */
	async function locatorDropdownText(): Promise<string> {
		return await page
			.locator('[data-test-id="rlc-item"]:visible, [data-test-id="rlc-error-container"]:visible')
			.first()
			.evaluate((el: any) => String(el.parentElement?.parentElement?.innerText ?? ''));
	}

	/** closes whatever dropdown is open and waits until its entries are gone */
	async function closeDropdowns(): Promise<void> {
		const open = page.locator('[role="option"]:visible, [data-test-id="rlc-item"]:visible, [data-test-id="rlc-error-container"]:visible');
		// Escape with nothing open would close the node details view
		if ((await open.count()) === 0) return;
		await page.keyboard.press('Escape');
		// a locator's list that shows an error ignores Escape: a click on the Parameters tab closes it
		if (!(await open.first().waitFor({ state: 'hidden', timeout: 1_500 }).then(() => true, () => false))) {
			await ndv().locator('[data-test-id="tab-params"]').click();
		}
		await gone(open, 'the open dropdown', 5_000);
	}

	/** the node on the canvas opened by a double click on its icon (clear of the toolbar of a hovered node) */
	async function openNode(name: string): Promise<void> {
		await page.mouse.move(VIEWPORT.width / 2, 6);
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick({ position: { x: 15, y: 15 } });
		await shown(ndv(), `the node details view of ${name}`);
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

	/** the first step that failed: the tests are one story in one page, so the later ones stop at once */
	let failedStep = '';

	/** the test's body; on failure a screenshot and n8n's log go to .tmp/browser/ */
	async function step(name: string, body: () => Promise<void>): Promise<void> {
		if (failedStep) throw new Error(`not run: the step "${failedStep}" failed before it and left the editor elsewhere`);
		try {
			await body();
		} catch (error) {
			failedStep = name;
			mkdirSync(FAILURES, { recursive: true });
			const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
			await page?.screenshot({ path: join(FAILURES, `${slug}.png`) }).catch(() => undefined);
			writeFileSync(join(FAILURES, 'n8n.log'), n8n?.log ?? '');
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

		n8n = await folder.start({ N8N_DEFAULT_LOCALE: 'en' });
		base = n8n.base('localhost');
		await n8n.setupOwner(OWNER.email, OWNER.password, 'Demo', 'User');

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
		await n8n?.stop();
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

	test('n8n serves DocFlow (an action node) and DocFlow Trigger (a trigger) from the packed package, and the DocFlow API credential', async () => {
		await step('served types', async () => {
			const served = await page.evaluate(async () => {
				const [nodes, credentials] = await Promise.all(
					['/types/nodes.json', '/types/credentials.json'].map(async (path) => await (await fetch(path)).json()),
				);
				return {
					nodes: (nodes as any[]).filter((n) => String(n.name).startsWith('n8n-nodes-docflow.')),
					credential: (credentials as any[]).find((c) => c.name === 'docFlowApi'),
				};
			});
			const byName = (name: string) => served.nodes.find((n: Served) => n.name === `n8n-nodes-docflow.${name}`) as Served;
			docflowType = byName('docFlow');
			triggerType = byName('docFlowTrigger');
			expect(docflowType?.displayName).toBe('DocFlow');
			expect(docflowType.description).toBe('Parse, classify, split and extract fields and tables from documents with TextIn DocFlow');
			expect(triggerType?.displayName).toBe('DocFlow Trigger');
			expect(triggerType.description).toMatch(/^Starts the workflow when TextIn DocFlow has processed, verified or rejected a document/);
			fileOperations = operationsOf('File').map((o) => o.name);
			expect(fileOperations).toEqual(expect.arrayContaining(['Upload', 'Fetch Batch', 'Retry', 'Update Result']));
			wrongSecretMessage = String(
				(served.credential as Served).test?.rules?.find((r) => r.type === 'responseSuccessBody' && r.properties.value === 40102)
					?.properties.message ?? '',
			);
			expect(wrongSecretMessage).toMatch(/DocFlow/);
		});
	});

	test('nodes panel ("What triggers this workflow?"): searching "docflow" lists DocFlow, with its icon and the trigger\'s description', async () => {
		await step('search docflow', async () => {
			await page.goto(`${base}/workflow/new`);
			await page.locator('[data-test-id="canvas-plus-button"]').click();
			const search = page.locator('[data-test-id="node-creator-search-bar"]');
			await shown(search, 'the nodes panel search');
			await shown(page.getByText('What triggers this workflow?'), 'the trigger view of the nodes panel');
			await search.fill('docflow');
			const item = page.locator('[data-test-id="item-iterator-item"]').filter({
				has: page.locator('[data-test-id="node-creator-item-name"]').getByText('DocFlow', { exact: true }),
			});
			await shown(item, 'DocFlow in the results for "docflow"');
			// n8n merges "DocFlow Trigger" into DocFlow's entry: one item, DocFlow's name and icon, the
			// trigger's description (its editor copies a trigger's description onto the node it merges into)
			expect((await page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts()).map((t) => t.trim())).toEqual(['DocFlow']);
			expect(await item.first().locator('[data-test-id="node-creator-item-description"]').innerText()).toBe(triggerType.description);
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

	test.each([
		['extraction', true],
		['IDP', false],
		['PDF', false],
		['DocFlow Trigger', false],
	])("nodes panel (trigger view): DocFlow Trigger's alias or name \"%s\" lists DocFlow", async (alias, takeScreenshot) => {
		await step(`search trigger ${alias}`, async () => {
			if (alias !== 'DocFlow Trigger') expect(triggerType.codex?.alias).toContain(alias);
			await page.locator('[data-test-id="node-creator-search-bar"]').fill(alias);
			const names = page.locator('[data-test-id="node-creator-item-name"]');
			await shown(names.getByText('DocFlow', { exact: true }), `DocFlow in the trigger view's results for "${alias}"`);
			const all = (await names.allInnerTexts()).map((t) => t.trim());
			process.stderr.write(`[browser] trigger view, "${alias}": DocFlow is result ${all.indexOf('DocFlow') + 1} of ${all.length}\n`);
			if (takeScreenshot) await screenshot(`nodes-panel-search-${alias.toLowerCase().replace(/ /g, '-')}.png`);
		});
	});

	test("nodes panel: what DocFlow Trigger's own aliases find (n8n searches a merged entry by DocFlow's aliases only)", async () => {
		await step('trigger-only aliases', async () => {
			const own = (triggerType.codex?.alias ?? []).filter((a) => !(docflowType.codex?.alias ?? []).includes(a));
			expect(own.length).toBeGreaterThan(0);
			const found: string[] = [];
			for (const alias of own) {
				await page.locator('[data-test-id="node-creator-search-bar"]').fill(alias);
				await page.waitForTimeout(400);
				const all = (await page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts()).map((t) => t.trim());
				if (all.includes('DocFlow')) found.push(alias);
				process.stderr.write(`[browser] trigger-only alias "${alias}": ${all.includes('DocFlow') ? 'lists DocFlow' : `no DocFlow (${all.length} results)`}\n`);
			}
			process.stderr.write(`[browser] DocFlow Trigger's own aliases that find DocFlow: ${found.length} of ${own.length}\n`);
		});
	});

	test('DocFlow in the trigger view: Triggers (3) On file processed / rejected / verified, with its icon; Actions collapsed', async () => {
		await step('triggers', async () => {
			await page.locator('[data-test-id="node-creator-search-bar"]').fill('docflow');
			await page.locator('[data-test-id="node-creator-item-name"]').getByText('DocFlow', { exact: true }).click();
			const events = triggerType.properties.find((p) => p.name === 'events')?.options?.map((o) => String(o.name)) ?? [];
			expect(events).toEqual(['File Processed', 'File Rejected', 'File Verified']);
			const categories = page.locator('[data-test-id="node-creator-category-item"]');
			await shown(categories.filter({ hasText: `Triggers (${events.length})` }), 'the Triggers section');
			const actionCount = docflowType.properties
				.filter((p) => p.name === 'operation')
				.reduce((n, p) => n + (p.options?.length ?? 0), 0);
			await shown(categories.filter({ hasText: `Actions (${actionCount})` }), `the Actions (${actionCount}) section`);
			const items = page.locator('[data-test-id="item-iterator-item"]').filter({ hasText: /^On / });
			// n8n names a trigger's events "On <event>"; the actions stay collapsed in the trigger view
			await shown(items, 'the triggers');
			expect((await items.allInnerTexts()).map((t) => t.trim())).toEqual(events.map((e) => `On ${e.toLowerCase()}`));
			expect(await page.locator('[data-test-id="item-iterator-item"]').filter({ hasText: 'Upload files' }).count()).toBe(0);
			await shown(page.getByText(triggerType.description!), 'the node details (the trigger\'s description)');
			expect(await packageIconsLoaded('the Triggers section')).toBeGreaterThanOrEqual(events.length);
			await screenshot('nodes-panel-docflow-triggers.png');
		});
	});

	test("DocFlow's actions: every resource's section (File: Upload files, Fetch batch results, Retry a task…); adding one opens its parameters", async () => {
		await step('actions', async () => {
			await page.locator('[data-test-id="node-creator-category-item"]').filter({ hasText: 'Actions (' }).click();
			const actions = page.locator('[data-test-id="item-iterator-item"]');
			for (const action of ['Upload files', 'Fetch batch results', 'Retry a task']) {
				await shown(actions.filter({ hasText: action }), `the action "${action}"`);
			}
			// the list: the triggers, then a section per resource ("FILE ACTIONS") with its actions;
			// n8n renders a long list in chunks, so wait for all of it
			const resources = (docflowType.properties.find((p) => p.name === 'resource')?.options ?? []).map((o) => String(o.name));
			const total = 3 + resources.length + resources.reduce((n, r) => n + operationsOf(r).length, 0);
			await until(async () => (await actions.count()) >= total, `all ${total} entries of the actions list`);
			const sections = new Map<string, string[]>();
			let current = '';
			for (const text of (await actions.allInnerTexts()).map((t) => t.trim())) {
				const heading = /^(.+) actions$/i.exec(text);
				if (heading) sections.set((current = heading[1].toLowerCase()), []);
				else if (current) sections.get(current)!.push(text);
			}
			expect([...sections.keys()]).toEqual(resources.map((r) => r.toLowerCase()));
			for (const resource of resources) {
				expect([...sections.get(resource.toLowerCase())!].sort()).toEqual(operationsOf(resource).map((o) => o.action).sort());
			}
			await shown(page.getByText(triggerType.description!), 'the node details');
			await packageIconsLoaded('the node details');
			await actions.filter({ hasText: /^File actions$/i }).first().scrollIntoViewIfNeeded();
			await screenshot('nodes-panel-docflow-actions.png');

			await actions.filter({ hasText: 'Upload files' }).first().click();
			await shown(ndv(), 'the node details view');
			await shown(param('operation'), 'the Operation parameter');
			expect(await valueOf('resource')).toBe('File');
			expect(await valueOf('operation')).toBe('Upload');
			expect(await ndvTitle()).toBe('Upload files');
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
			expect(failed).toEqual({ status: 'Error', message: wrongSecretMessage });
			await shown(dialog.getByText(/Couldn.t connect with these settings/), 'the test failure banner', 30_000);
			await gone(page.locator('[data-test-id="credentials-config-container-test-success"]'), 'the success banner');
			const details = dialog.getByText('More details', { exact: true });
			if ((await details.count()) > 0) await details.click();
			await shown(dialog.getByText(wrongSecretMessage), 'the rule message for a wrong secret');
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
			expect(operations).toEqual(fileOperations);
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

	// ---------- one operation of every resource, in the same node ----------

	/**
	 * In an order where n8n keeps renaming the node after its action: once an action is a prefix
	 * of the node's name ("Create a rule" after "Create a rule group"), n8n 2.40.7 stops renaming.
	 */
	const OPERATIONS: Array<{
		resource: string;
		operation: string;
		labels: string[];
		shot: string;
		check?: () => Promise<void>;
	}> = [
		{
			resource: 'File',
			operation: 'Update Result',
			labels: ['Workspace', 'File', 'Define Changes', 'Fields to Update', 'Simplify', 'Options'],
			shot: 'operation-update-result.png',
			check: async () => {
				expect(await valueOf('changesMode')).toBe('Using Fields Below');
				await shown(params().getByText(/DocFlow replaces a file.s whole result on every update/), 'the Define Changes hint');
				const changes = page.locator('[data-test-id="fixed-collection-changes"]');
				const add = changes.locator('input[placeholder="Add Field or Table"]');
				await shown(add, 'the Add Field or Table button');
				const kinds = await openDropdown(add, 'what Fields to Update adds');
				expect((await kinds.allInnerTexts()).map((t) => t.trim())).toEqual(['Field', 'Table']);
				await closeDropdowns();
				expect(await switchIsOn('simplify')).toBe(true);
				expect(await choose('changesMode', 'Using JSON')).toEqual(['Using Fields Below', 'Using JSON']);
				await shown(param('resultJson'), 'Result JSON (Define Changes: Using JSON)');
				expect(await changes.count()).toBe(0);
				await choose('changesMode', 'Using Fields Below');
				await gone(param('resultJson'), 'Result JSON (Define Changes: Using Fields Below)');
			},
		},
		{
			resource: 'Workspace',
			operation: 'Create',
			labels: ['Name', 'Visible To', 'Additional Fields', 'Options'],
			shot: 'operation-workspace-create.png',
			check: async () => {
				expect(await param('workspace').count()).toBe(0);
				expect(await param('name').locator('input').getAttribute('placeholder')).toBe('e.g. Acme Corp invoices');
				expect((await valueOf('authScope')).length).toBeGreaterThan(0);
				// one additional field (Description): n8n shows a plain button instead of a list
				await shown(addControl('Add Field'), 'the Add Field button');
			},
		},
		{
			resource: 'Category',
			operation: 'Get Many',
			labels: ['Workspace', 'Return All', 'Filters', 'Options'],
			shot: 'operation-category-get-many.png',
			check: async () => {
				expect(await switchIsOn('returnAll')).toBe(true);
				await flip('returnAll');
				await shown(param('limit'), 'Limit with Return All off');
				await flip('returnAll');
				await gone(param('limit'), 'Limit with Return All on');
				await shown(addControl('Add Filter'), 'the Add Filter button');
			},
		},
		{
			resource: 'Category Field',
			operation: 'Add',
			labels: ['Workspace', 'Category', 'Add To', 'Field Name', 'Additional Fields', 'Options'],
			shot: 'operation-category-field-add.png',
			check: async () => {
				expect(await valueOf('addTo')).toBe('Regular Fields');
				expect(await choose('addTo', 'Table Columns')).toEqual(['Regular Fields', 'Table Columns']);
				await shown(param('tableId'), 'Table (Add To: Table Columns)');
				expect(await operationLabels()).toEqual(['Workspace', 'Category', 'Add To', 'Table', 'Field Name', 'Additional Fields', 'Options']);
				await choose('addTo', 'Regular Fields');
				await gone(param('tableId'), 'Table (Add To: Regular Fields)');
			},
		},
		{
			resource: 'Category Table',
			operation: 'Add',
			labels: ['Workspace', 'Category', 'Table Name', 'Additional Fields', 'Options'],
			shot: 'operation-category-table-add.png',
		},
		{
			resource: 'Category Sample',
			operation: 'Upload',
			labels: ['Workspace', 'Category', 'Binary Field(s)', 'Options'],
			shot: 'operation-category-sample-upload.png',
			check: async () => {
				expect(await valueOf('binaryPropertyName')).toBe('data');
			},
		},
		{
			resource: 'Rule Repository',
			operation: 'Get',
			labels: ['Workspace', 'Rule Repository', 'Simplify', 'Options'],
			shot: 'operation-rule-repository-get.png',
			check: async () => {
				expect(await switchIsOn('simplify')).toBe(true);
			},
		},
		{
			resource: 'Rule Group',
			operation: 'Create',
			labels: ['Workspace', 'Rule Repository', 'Name', 'Options'],
			shot: 'operation-rule-group-create.png',
		},
		{
			resource: 'Review Task',
			operation: 'Submit',
			labels: ['Workspace', 'Rule Repository', 'Documents', 'Extraction Task IDs', 'Review Task Name', 'Wait for Completion', 'Simplify', 'Options'],
			shot: 'operation-review-task-submit.png',
			check: async () => {
				expect(await valueOf('documents')).toBe('Extraction Tasks');
				expect(await param('extractTaskIds').innerText()).toContain('{{ $json.task_id }}');
				expect(await switchIsOn('waitForCompletion')).toBe(true);
				expect(await switchIsOn('simplify')).toBe(true);
				expect(await choose('documents', 'Batch')).toEqual(['Batch', 'Extraction Tasks']);
				await shown(param('batchNumber'), 'Batch Number (Documents: Batch)');
				expect(await param('extractTaskIds').count()).toBe(0);
				await choose('documents', 'Extraction Tasks');
				await shown(param('extractTaskIds'), 'Extraction Task IDs (Documents: Extraction Tasks)');
				await flip('waitForCompletion');
				await gone(param('simplify'), 'Simplify with Wait for Completion off');
				await flip('waitForCompletion');
			},
		},
		{
			resource: 'Rule',
			operation: 'Create',
			labels: ['Workspace', 'Rule Repository', 'Rule Group', 'Name', 'Prompt', 'Additional Fields', 'Options'],
			shot: 'operation-rule-create.png',
		},
	];

	test.each(OPERATIONS.map((o) => [`${o.resource} → ${o.operation}`, o] as const))(
		'%s: its parameters by label, in order, in the panel',
		async (_title, { resource, operation, labels, shot, check }) => {
			await step(`${resource} ${operation}`, async () => {
				if (!(await ndv().isVisible())) await openNode('Retry a task');
				await dismissToasts();
				if ((await valueOf('resource')) !== resource) {
					const resources = await choose('resource', resource);
					expect(resources).toEqual((docflowType.properties.find((p) => p.name === 'resource')?.options ?? []).map((o) => o.name));
				}
				if ((await valueOf('operation')) !== operation) {
					const operations = await choose('operation', operation);
					expect(operations).toEqual(operationsOf(resource).map((o) => o.name));
				}
				expect(await valueOf('resource')).toBe(resource);
				expect(await valueOf('operation')).toBe(operation);
				await shown(params().getByText(labels[labels.length - 1], { exact: true }), `${resource} → ${operation}'s last parameter`);
				expect(await ndvTitle()).toBe(actionOf(resource, operation));
				expect(await operationLabels()).toEqual(labels);
				await scrollParametersToTop();
				await screenshot(shot);
				if (check) await check();
				await closeDropdowns();
			});
		},
	);

	// ---------- resource locators' lists ----------

	test('Category Field → Update: Category "From list" asks for a workspace first, then lists the workspace\'s categories; Field lists the category\'s fields', async () => {
		await step('category locator', async () => {
			await choose('resource', 'Category Field');
			await choose('operation', 'Update');
			expect(await operationLabels()).toEqual(['Workspace', 'Category', 'Field', 'Update Fields', 'Options']);
			expect(await ndvTitle()).toBe(actionOf('Category Field', 'Update'));
			// a new resource's panel starts without a workspace: the list says what is missing
			expect(await param('workspace').locator('[data-test-id="rlc-input"]').inputValue()).toBe('');
			const refused = page.waitForResponse((r) => r.url().includes('/rest/dynamic-node-parameters/resource-locator-results'));
			await param('categoryId').locator('[data-test-id="rlc-input"]').click();
			// n8n answers a list method's error with HTTP 500 and the node's message
			const answer = await refused;
			expect(answer.status()).toBe(500);
			expect(JSON.stringify(await answer.json())).toContain('Choose a workspace first to list its categories');
			expectedFailures.push(`500 POST ${answer.url()}`);
			const error = page.locator('[data-test-id="rlc-error-message"]:visible');
			await shown(error, 'the Category list\'s message without a workspace');
			expect((await error.innerText()).trim()).toBe('Choose a workspace first to list its categories');
			expect(await locatorDropdownText()).toMatch(/Could not load list/);
			await screenshot('locator-category-no-workspace.png');
			await closeDropdowns();

			await chooseInvoices();
			emulator.clearRequests();
			const categories = await locatorList('categoryId', 'the Category list');
			// every category of Invoices, the disabled one too (its fields can still be edited)
			expect(categories).toEqual(['发票', 'receipt', 'contract', 'old form']);
			expect(await locatorDropdownText()).not.toMatch(/error|could not|couldn.t/i);
			const listCalls = emulator.requests.filter((r) => r.path.endsWith('/category/list'));
			expect(listCalls.length).toBeGreaterThan(0);
			expect(listCalls[0].query.workspace_id).toBe(INVOICES);
			await screenshot('locator-category-list.png');
			await page.locator('[data-test-id="rlc-item"]:visible').filter({ hasText: 'receipt' }).first().click();
			await gone(page.locator('[data-test-id="rlc-item"]:visible'), 'the Category list');
			expect(await param('categoryId').locator('[data-test-id="rlc-input"]').inputValue()).toBe('receipt');

			const fields = await locatorList('fieldId', 'the Field list');
			// receipt's regular fields, then its tables' columns as "Table › Column"
			expect(fields.slice(0, 6)).toEqual(['Merchant Name', 'Receipt Number', 'Receipt Date', 'Payment Method', 'Total Amount', 'Remarks']);
			expect(fields).toEqual(expect.arrayContaining(['Purchased Items › Item', 'Tax Summary › Tax Rate']));
			await screenshot('locator-field-list.png');
			await closeDropdowns();
		});
	});

	test('Review Task → Submit: Rule Repository "From list" lists the workspace\'s rule repositories from DocFlow', async () => {
		await step('rule repository locator', async () => {
			// the emulator starts without rule repositories: two, one with a group and a rule
			const invoiceChecks = await docflowApi('review/rule_repo/create', { workspace_id: INVOICES, name: 'Invoice checks' });
			await docflowApi('review/rule_repo/create', { workspace_id: INVOICES, name: 'Contract checks' });
			const group = await docflowApi('review/rule_group/create', { workspace_id: INVOICES, repo_id: invoiceChecks.repo_id, name: 'Amounts' });
			await docflowApi('review/rule/create', {
				workspace_id: INVOICES,
				repo_id: invoiceChecks.repo_id,
				group_id: group.group_id,
				name: 'Total within budget',
				prompt: 'The total amount is at most 20000',
			});

			await choose('resource', 'Review Task');
			if ((await valueOf('operation')) !== 'Submit') await choose('operation', 'Submit');
			expect(await ndvTitle()).toBe(actionOf('Review Task', 'Submit'));
			await chooseInvoices();
			emulator.clearRequests();
			const repos = await locatorList('ruleRepository', 'the Rule Repository list');
			expect(repos).toEqual(['Invoice checks', 'Contract checks']);
			expect(await locatorDropdownText()).not.toMatch(/error|could not|couldn.t/i);
			const listCalls = emulator.requests.filter((r) => r.path.endsWith('/review/rule_repo/list'));
			expect(listCalls.length).toBeGreaterThan(0);
			expect(listCalls[0].query.workspace_id).toBe(INVOICES);
			await screenshot('locator-rule-repository-list.png');
			await page.locator('[data-test-id="rlc-item"]:visible').filter({ hasText: 'Invoice checks' }).first().click();
			await gone(page.locator('[data-test-id="rlc-item"]:visible'), 'the Rule Repository list');
			expect(await param('ruleRepository').locator('[data-test-id="rlc-input"]').inputValue()).toBe('Invoice checks');
		});
	});

	// ---------- the DocFlow Trigger ----------

	test('DocFlow Trigger: added from the nodes panel ("What happens next?" → DocFlow → Triggers → On file processed)', async () => {
		await step('add trigger', async () => {
			await page.locator('[data-test-id="ndv-close-button"]').click();
			await gone(ndv(), 'the node details view');
			await page.locator('[data-test-id="node-creator-plus-button"]').click();
			const search = page.locator('[data-test-id="node-creator-search-bar"]');
			await shown(search, 'the nodes panel search');
			await shown(page.getByText('What happens next?'), 'the nodes panel of a workflow that has a trigger');
			await search.fill('docflow');
			await page.locator('[data-test-id="node-creator-item-name"]').getByText('DocFlow', { exact: true }).click();
			const categories = page.locator('[data-test-id="node-creator-category-item"]');
			// here the actions come first and the triggers are collapsed below them
			await shown(categories.filter({ hasText: 'Triggers (3)' }), 'the Triggers section');
			await categories.filter({ hasText: 'Triggers (3)' }).click();
			const items = page.locator('[data-test-id="item-iterator-item"]');
			await shown(items.filter({ hasText: 'On file processed' }), 'the trigger "On file processed"');
			await items.filter({ hasText: 'On file processed' }).first().click();
			await shown(ndv(), 'the DocFlow Trigger panel');
			expect(await ndvTitle()).toBe('DocFlow Trigger');
			// the one DocFlow credential is picked for the new node
			await shown(page.locator('[data-test-id="node-credentials-select"]'), 'the credential of the trigger');
			expect(await page.locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe('DocFlow account');
			await packageIconsLoaded('the DocFlow Trigger panel');
		});
	});

	test('DocFlow Trigger panel: polling notice, Events (File Processed / File Rejected / File Verified), Workspace picker, Filters, Simplify, Options', async () => {
		await step('trigger parameters', async () => {
			expect(await operationLabels()).toEqual(['Poll Times', 'Mode', 'Events', 'Workspace', 'Filters', 'Simplify', 'Options']);
			await shown(params().getByText(/DocFlow has no push notifications: at every poll time the trigger asks DocFlow which files changed/), 'the polling notice');
			// "On file processed" chose the event
			expect((await param('events').innerText()).trim()).toBe('File Processed');
			const events = await openDropdown(param('events'), 'the Events options');
			const texts = (await events.allInnerTexts()).map((t) => t.split('\n').map((l) => l.trim()));
			expect(texts.map((t) => t[0])).toEqual(['File Processed', 'File Rejected', 'File Verified']);
			const described = triggerType.properties.find((p) => p.name === 'events')?.options ?? [];
			expect(texts.map((t) => t[1])).toEqual(described.map((o) => o.description));
			await screenshot('trigger-events.png');
			await closeDropdowns();

			const workspaces = await locatorList('workspace', 'the workspace list of the trigger', 'Invoices');
			expect(workspaces).toEqual(['Invoices', 'Contracts']);
			expect(await switchIsOn('simplify')).toBe(true);

			const filters = await openDropdown(addButton('Add Filter'), 'the trigger\'s filters');
			expect((await filters.allInnerTexts()).map((t) => t.split('\n')[0].trim())).toEqual(['Category Name or ID', 'Processing Results']);
			await closeDropdowns();
			const options = await openDropdown(addButton('Add Option'), 'the trigger\'s options');
			const optionNames = (await options.allInnerTexts()).map((t) => t.split('\n')[0].trim());
			expect(optionNames).toEqual(expect.arrayContaining(['Include Document Text', 'Include Task Detail URL', 'Max Files per Poll', 'Start From']));
			expect(optionNames).toEqual(
				(triggerType.properties.find((p) => p.name === 'options')?.options ?? []).map((o) => o.displayName),
			);
			await closeDropdowns();
			await scrollParametersToTop();
			await screenshot('trigger-parameters.png');
		});
	});

	test('on the canvas: DocFlow Trigger with its icon and its events as subtitle', async () => {
		await step('trigger canvas', async () => {
			await page.locator('[data-test-id="ndv-close-button"]').click();
			await gone(ndv(), 'the node details view');
			const node = page.locator('[data-test-id="canvas-node"][data-node-name="DocFlow Trigger"]');
			await shown(node, 'DocFlow Trigger on the canvas');
			await page.mouse.move(VIEWPORT.width / 2, 6);
			expect((await node.innerText()).split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining(['DocFlow Trigger', 'File Processed']));
			await packageIconsLoaded('the canvas');
			await screenshot('canvas-docflow-trigger.png');
		});
	});

	test("no failed requests for the package's icons, node types or dynamic parameters; no page errors from it", () => {
		const unexpected = [...failedResponses];
		for (const expected of expectedFailures) {
			const at = unexpected.indexOf(expected);
			if (at >= 0) unexpected.splice(at, 1);
		}
		expect(unexpected).toEqual([]);
		expect(pageErrors.filter((e) => /docflow/i.test(e))).toEqual([]);
		if (pageErrors.length > 0) process.stderr.write(`[browser] page errors (n8n's own): ${pageErrors.join(' | ')}\n`);
	});
});
