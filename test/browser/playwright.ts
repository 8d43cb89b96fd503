/**
 * playwright-core, loaded from the cache folder scripts/browser.sh installs it into (it is not
 * a dev dependency: the unit and e2e suites never need it), driving Debian's Chromium.
 *
 * Only the small part of Playwright's API the browser test uses is typed here, so that
 * `npm run typecheck` passes on a machine where playwright-core was never installed.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.DOCFLOW_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export const VIEWPORT = { width: 1440, height: 900 };

/** Where scripts/browser.sh installs playwright-core (`npm install --prefix DIR playwright-core@…`). */
export function playwrightCoreDir(): string {
	if (process.env.DOCFLOW_PLAYWRIGHT_CORE) return process.env.DOCFLOW_PLAYWRIGHT_CORE;
	const cache = process.env.DOCFLOW_CACHE ?? join(process.env.HOME ?? tmpdir(), '.cache', 'n8n-nodes-docflow');
	return join(cache, 'playwright-core', 'node_modules', 'playwright-core');
}

export interface LocatorOptions {
	hasText?: string | RegExp;
	has?: Locator;
}

export interface Locator {
	click(options?: { timeout?: number; force?: boolean; position?: { x: number; y: number } }): Promise<void>;
	dblclick(options?: { timeout?: number; force?: boolean; position?: { x: number; y: number } }): Promise<void>;
	fill(value: string): Promise<void>;
	press(key: string): Promise<void>;
	hover(): Promise<void>;
	waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
	innerText(): Promise<string>;
	allInnerTexts(): Promise<string[]>;
	inputValue(): Promise<string>;
	isVisible(): Promise<boolean>;
	count(): Promise<number>;
	getAttribute(name: string): Promise<string | null>;
	scrollIntoViewIfNeeded(): Promise<void>;
	evaluate<R>(fn: (el: any) => R): Promise<R>;
	evaluateAll<R>(fn: (els: any[]) => R): Promise<R>;
	first(): Locator;
	last(): Locator;
	nth(index: number): Locator;
	filter(options: LocatorOptions): Locator;
	locator(selector: string, options?: LocatorOptions): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
}

export interface Request {
	url(): string;
	method(): string;
}

export interface Response {
	url(): string;
	status(): number;
	json(): Promise<any>;
	request(): Request;
}

export interface Route {
	request(): Request;
	abort(): Promise<void>;
}

export interface ConsoleMessage {
	type(): string;
	text(): string;
}

export interface Page {
	goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' }): Promise<unknown>;
	url(): string;
	locator(selector: string, options?: LocatorOptions): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	waitForURL(url: string | RegExp | ((url: URL) => boolean), options?: { timeout?: number }): Promise<void>;
	waitForResponse(match: (response: Response) => boolean, options?: { timeout?: number }): Promise<Response>;
	waitForTimeout(ms: number): Promise<void>;
	screenshot(options: {
		path: string;
		animations?: 'disabled' | 'allow';
		caret?: 'hide' | 'initial';
		fullPage?: boolean;
		/** CSS applied while the screenshot is taken */
		style?: string;
	}): Promise<Buffer>;
	evaluate<R>(fn: () => R): Promise<R>;
	keyboard: { press(key: string): Promise<void> };
	mouse: { move(x: number, y: number): Promise<void> };
	on(event: 'response', handler: (response: Response) => void): void;
	on(event: 'console', handler: (message: ConsoleMessage) => void): void;
	on(event: 'pageerror', handler: (error: Error) => void): void;
}

export interface BrowserContext {
	pages(): Page[];
	newPage(): Promise<Page>;
	route(match: (url: URL) => boolean, handler: (route: Route) => Promise<void> | void): Promise<void>;
	setDefaultTimeout(ms: number): void;
	close(): Promise<void>;
}

interface Chromium {
	launchPersistentContext(
		userDataDir: string,
		options: {
			executablePath: string;
			headless: boolean;
			args: string[];
			viewport: { width: number; height: number };
			deviceScaleFactor?: number;
			locale?: string;
			timezoneId?: string;
			colorScheme?: 'light' | 'dark';
			reducedMotion?: 'reduce' | 'no-preference';
		},
	): Promise<BrowserContext>;
	executablePath?(): string;
}

export interface LaunchedBrowser {
	context: BrowserContext;
	page: Page;
	/** the new, empty user-data-dir this Chromium runs with */
	userDataDir: string;
	/** playwright-core's version */
	playwrightVersion: string;
}

/**
 * Chromium with a new empty profile, headless, fixed 1440×900 viewport, light theme, English,
 * UTC: screenshots come out the same from run to run.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
	const dir = playwrightCoreDir();
	let playwright: { chromium: Chromium };
	try {
		playwright = createRequire(join(dir, 'package.json'))('./index.js') as { chromium: Chromium };
	} catch (error) {
		throw new Error(
			`playwright-core is not installed in ${dir} (bash scripts/browser.sh installs it): ${(error as Error).message}`,
		);
	}
	const { version } = createRequire(join(dir, 'package.json'))('./package.json') as { version: string };
	const userDataDir = mkdtempSync(join(tmpdir(), 'docflow-browser-profile-'));
	const context = await playwright.chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'UTC',
		colorScheme: 'light',
		reducedMotion: 'reduce',
	});
	const page = context.pages()[0] ?? (await context.newPage());
	return { context, page, userDataDir, playwrightVersion: version };
}
