/**
 * bench/RESULTS.md and the sections of it that other commands write: `npm run bench` rewrites the
 * file and keeps, unchanged, the sections `npm run bench -- --queue` and `-- --editor` wrote
 * (each between its own two markers).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_PATH = join(__dirname, 'RESULTS.md');

/** The commit the "before" figures are taken at: the start of the whole-API work (File: Upload, Fetch Batch, Retry). */
export const BEFORE_WHOLE_API_REF = '3ed158c';

export interface KeptSection {
	start: string;
	end: string;
	/** what stands in the file until the command has run once */
	placeholder: string[];
}

export const QUEUE_SECTION: KeptSection = {
	start: '<!-- queue-bench:start (written by `npm run bench -- --queue`, kept by `npm run bench`) -->',
	end: '<!-- queue-bench:end -->',
	placeholder: [
		'## (g) Queue mode: 500 files through the webhook, main + 2 workers',
		'',
		'Not measured yet: run `npm run bench -- --queue` (needs root for Redis and Postgres, see scripts/e2e-queue.sh).',
	],
};

export const EDITOR_SECTION: KeptSection = {
	start: '<!-- editor-bench:start (written by `npm run bench -- --editor`, kept by `npm run bench`) -->',
	end: '<!-- editor-bench:end -->',
	placeholder: [
		"## (h) The editor: time to open the node's panel",
		'',
		'Not measured yet: run `npm run bench -- --editor` (Chromium and n8n 2.40.7, see bench/editor.ts).',
	],
};

/** The section as the file holds it now, or its placeholder. */
export function keptSection(section: KeptSection): string {
	const old = existsSync(RESULTS_PATH) ? readFileSync(RESULTS_PATH, 'utf8') : '';
	const start = old.indexOf(section.start);
	const end = old.indexOf(section.end);
	if (start >= 0 && end > start) return old.slice(start, end + section.end.length);
	return [section.start, ...section.placeholder, section.end].join('\n');
}

/** Puts `body` (the lines between the markers) in place of the section, or at the end of the file. */
export function writeSection(section: KeptSection, body: string[]): string {
	const text = [section.start, ...body, section.end].join('\n');
	const old = existsSync(RESULTS_PATH) ? readFileSync(RESULTS_PATH, 'utf8') : '';
	const start = old.indexOf(section.start);
	const end = old.indexOf(section.end);
	const next =
		start >= 0 && end > start
			? old.slice(0, start) + text + old.slice(end + section.end.length)
			: `${old.trimEnd()}\n\n${text}\n`;
	writeFileSync(RESULTS_PATH, next);
	return text;
}
