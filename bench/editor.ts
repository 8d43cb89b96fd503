/**
 * `npm run bench -- --editor`: how long n8n's editor takes to open a workflow holding the DocFlow
 * node and to open the node's panel, with the package as it is now and as it was at
 * BEFORE_WHOLE_API_REF (File only: Upload, Fetch Batch, Retry), both in this run.
 *
 * Two n8n 2.40.7 servers (`n8n start`, one per package version, each a fresh user folder with the
 * packed package as a community package and the same imported workflow: Manual Trigger → DocFlow
 * at its default version, File → Upload) and one headless Chromium per server. The rounds
 * alternate between the two sides, so drift on this shared machine falls on both. Times are taken
 * inside the page (performance.now()), not around Playwright's calls:
 *   - workflow opened: navigation start → the DocFlow node drawn on the canvas (the editor loads
 *     every node type's description, ours among them, before it draws a workflow);
 *   - panel shown: the double click → the frame after the Operation parameter entered the page;
 *   - panel settled: the double click → the last change inside the panel before 300 ms without one.
 * Each round reloads the workflow, then opens the panel twice ("first" after the reload, then
 * "again"). Writes its section of bench/RESULTS.md (`npm run bench` keeps it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { N8nFolder, REPO, SAMPLES, runOk } from '../test/e2e/n8n.ts';
import type { RunningN8n, Workflow } from '../test/e2e/n8n.ts';
import { VIEWPORT, launchChromium } from '../test/browser/playwright.ts';
import type { LaunchedBrowser, Page } from '../test/browser/playwright.ts';
import { BEFORE_WHOLE_API_REF, EDITOR_SECTION, writeSection } from './resultsFile.ts';

const VERSION = '2.40.7';
const ROUNDS = Number(process.env.BENCH_EDITOR_ROUNDS ?? 12);
const OWNER = { email: 'owner@example.com', password: 'Bench-owner-pass-1' };
const WORKFLOW_ID = 'benchEditor000001';
const NODE = 'DocFlow';

interface Side {
	label: string;
	/** git ref packed; undefined: the work tree (or DOCFLOW_PACK_REF when set) */
	ref?: string;
	typeVersion: number;
	folder: N8nFolder;
	n8n: RunningN8n;
	base: string;
	browser: LaunchedBrowser;
	samples: { opened: number[]; shownFirst: number[]; settledFirst: number[]; shownAgain: number[]; settledAgain: number[] };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** The packed package of `ref` (the work tree when undefined) and the node's default version in it. */
async function pack(ref: string | undefined): Promise<{ tgz: string; typeVersion: number }> {
	const dest = mkdtempSync(join(tmpdir(), 'docflow-bench-editor-pack-'));
	const env = ref === undefined ? {} : { DOCFLOW_PACK_REF: ref };
	const { stdout } = await runOk(['pack', dest], { env });
	const tgz = stdout.trim().split('\n').pop() ?? '';
	const built = execFileSync('tar', ['-xzOf', tgz, 'package/dist/nodes/DocFlow/DocFlow.node.js'], { encoding: 'utf8' });
	const version = /defaultVersion:\s*([\d.]+)/.exec(built)?.[1];
	if (!version) throw new Error(`no defaultVersion in the DocFlow node packed from ${ref ?? 'the work tree'}`);
	return { tgz, typeVersion: Number(version) };
}

function benchWorkflow(typeVersion: number): Workflow {
	return {
		id: WORKFLOW_ID,
		name: 'bench: the DocFlow panel',
		active: false,
		nodes: [
			{ id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000002',
				name: NODE,
				type: 'n8n-nodes-docflow.docFlow',
				typeVersion,
				position: [240, 0],
				parameters: { resource: 'file', operation: 'upload' },
			},
		],
		connections: { Start: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

async function startSide(label: string, ref: string | undefined): Promise<Side> {
	process.stderr.write(`[editor-bench] ${label}: packing ${ref ?? 'the work tree'}…\n`);
	const { tgz, typeVersion } = await pack(ref ?? process.env.DOCFLOW_PACK_REF);
	const folder = await N8nFolder.create(VERSION, tgz, [SAMPLES]);
	rmSync(join(tgz, '..'), { recursive: true, force: true });
	await folder.importWorkflows([benchWorkflow(typeVersion)]);
	const n8n = await folder.start({ N8N_DEFAULT_LOCALE: 'en' });
	await n8n.setupOwner(OWNER.email, OWNER.password, 'Bench', 'User');

	const browser = await launchChromium();
	browser.context.setDefaultTimeout(30_000);
	// nothing leaves the machine (the editor asks the npm registry about community packages)
	await browser.context.route(
		(url) => !['localhost', '127.0.0.1'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol),
		async (route) => await route.abort(),
	);
	const base = n8n.base('localhost');
	const page = browser.page;
	await page.goto(`${base}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
	await page.locator('input[name="password"]').fill(OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	return {
		label,
		ref,
		typeVersion,
		folder,
		n8n,
		base,
		browser,
		samples: { opened: [], shownFirst: [], settledFirst: [], shownAgain: [], settledAgain: [] },
	};
}

/** Navigation start → the DocFlow node on the canvas, in ms (the page's own clock). */
async function openWorkflow(side: Side): Promise<number> {
	const page = side.browser.page;
	await page.goto(`${side.base}/workflow/${WORKFLOW_ID}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE}"]`);
	await node.waitFor({ state: 'visible' });
	return await page.evaluate(() => performance.now());
}

/**
 * Double-clicks the node and returns, on the page's clock from the double click: when the
 * Operation parameter was first drawn, and when the panel last changed before 300 ms of quiet.
 */
async function openPanel(page: Page): Promise<{ shown: number; settled: number }> {
	// runs in the page: the DOM's names through globalThis, as this file is compiled without the DOM's types
	await page.evaluate(() => {
		const w = globalThis as any;
		w.__panel = { start: 0, shown: 0, lastChange: 0, settled: 0 };
		w.document.addEventListener(
			'dblclick',
			() => {
				const state = w.__panel;
				state.start = performance.now();
				let quiet: ReturnType<typeof setTimeout> | undefined;
				const observer = new w.MutationObserver(() => {
					const ndv = w.document.querySelector('[data-test-id="ndv"]');
					if (!ndv) return;
					state.lastChange = performance.now();
					if (!state.shown && ndv.querySelector('[data-test-id="parameter-input-operation"]')) {
						w.requestAnimationFrame(() => (state.shown = performance.now()));
					}
					clearTimeout(quiet);
					quiet = setTimeout(() => {
						if (!state.shown) return;
						observer.disconnect();
						state.settled = state.lastChange;
					}, 300);
				});
				observer.observe(w.document.body, { childList: true, subtree: true, attributes: true, characterData: true });
			},
			{ capture: true, once: true },
		);
	});
	await page.mouse.move(VIEWPORT.width / 2, 6);
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE}"]`).dblclick({ position: { x: 15, y: 15 } });
	await page.locator('[data-test-id="parameter-input-operation"]').first().waitFor({ state: 'visible' });
	const end = Date.now() + 15_000;
	for (;;) {
		const state = await page.evaluate(() => ({ ...(globalThis as any).__panel }));
		if (state.settled) return { shown: state.shown - state.start, settled: state.settled - state.start };
		if (Date.now() > end) throw new Error('the panel did not settle within 15 s');
		await page.waitForTimeout(100);
	}
}

async function closePanel(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').first().waitFor({ state: 'hidden' });
	await page.waitForTimeout(300);
}

async function round(side: Side): Promise<void> {
	const page = side.browser.page;
	side.samples.opened.push(await openWorkflow(side));
	await page.waitForTimeout(500);
	const first = await openPanel(page);
	await closePanel(page);
	const again = await openPanel(page);
	await closePanel(page);
	side.samples.shownFirst.push(first.shown);
	side.samples.settledFirst.push(first.settled);
	side.samples.shownAgain.push(again.shown);
	side.samples.settledAgain.push(again.settled);
}

function haveCommit(ref: string): boolean {
	try {
		execFileSync('git', ['-C', REPO, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

async function main() {
	if (!haveCommit(BEFORE_WHOLE_API_REF)) {
		throw new Error(`commit ${BEFORE_WHOLE_API_REF} is not in this clone (a shallow clone?): nothing to compare against`);
	}
	const sides: Side[] = [];
	try {
		sides.push(await startSide(`at ${BEFORE_WHOLE_API_REF}`, BEFORE_WHOLE_API_REF));
		sides.push(await startSide('now', undefined));
		for (const side of sides) await openWorkflow(side); // warm-up: first page load of each server
		for (let r = 0; r < ROUNDS; r++) {
			const order = r % 2 === 0 ? sides : [...sides].reverse();
			for (const side of order) await round(side);
			process.stderr.write(`[editor-bench] round ${r + 1}/${ROUNDS}\n`);
		}
		report(sides);
	} finally {
		for (const side of sides) {
			await side.browser.context.close().catch(() => undefined);
			await side.n8n.stop();
			rmSync(side.browser.userDataDir, { recursive: true, force: true });
			side.folder.remove();
		}
	}
}

function report([before, now]: Side[]) {
	const ms = (v: number) => `${v.toFixed(0)} ms`;
	const rows: Array<[string, keyof Side['samples']]> = [
		['Workflow opened (navigation → DocFlow node drawn)', 'opened'],
		['Panel shown, first open after the reload (double click → Operation drawn)', 'shownFirst'],
		['Panel settled, first open (double click → last change in the panel)', 'settledFirst'],
		['Panel shown, opened again', 'shownAgain'],
		['Panel settled, opened again', 'settledAgain'],
	];
	const body = [
		"## (h) The editor: time to open the node's panel",
		'',
		`Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- --editor\` (bench/editor.ts) on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 1024 ** 3)} GiB RAM: two n8n ${VERSION} servers (\`n8n start\`), one with the package at commit ${BEFORE_WHOLE_API_REF} (File: Upload, Fetch Batch, Retry; node version ${before.typeVersion}), one with it now (node version ${now.typeVersion}), each with a workflow Manual Trigger → DocFlow (File → Upload) and its own headless Chromium (${VIEWPORT.width}×${VIEWPORT.height}). ${ROUNDS} rounds, alternating between the two; each round reloads the workflow and opens the panel twice. Times are the page's own clock (performance.now()); medians.`,
		'',
		`| Measure | at ${BEFORE_WHOLE_API_REF} | now | Ratio now / before |`,
		'|---|---|---|---|',
		...rows.map(([name, key]) => {
			const b = median(before.samples[key]);
			const n = median(now.samples[key]);
			return `| ${name} | ${ms(b)} | ${ms(n)} | ${(n / b).toFixed(2)} |`;
		}),
		'',
		'"Settled" is the last change inside the panel before 300 ms without one: it includes the credential list and any other request the panel makes when it opens. Section (f) compares the node description\'s size over the same span.',
	];
	const text = writeSection(EDITOR_SECTION, body);
	process.stdout.write(`${text}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
