/**
 * The trigger's promise under load, through n8n-core's real poll machinery: 1,000 files that
 * DocFlow uploads, processes step by step and finishes at random times across 50 polls, with
 * DocFlow's clock a minute ahead of or behind n8n's, time passing while a poll pages through
 * DocFlow's lists (files finish and get verified mid-poll), pages that shift under the reader,
 * n8n restarting from the static data it saved, and people verifying files later. Every file is
 * reported as processed exactly once, and every verification exactly once.
 *
 * Random but reproducible: the seed is printed; TRIGGER_SEED=<n> replays a run.
 */
import { credentialFor, seedUpload, useEmulator } from '../../../harness/fixtures.ts';
import { ActiveTrigger } from '../../../harness/poll.ts';
import { START, fetchRequests, triggerParameters, useMachineClock } from './helpers.ts';

const env = useEmulator();
const clock = useMachineClock();

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const SEED = Number(process.env.TRIGGER_SEED ?? Math.floor(Math.random() * 2 ** 31));

type Action =
	| { at: number; kind: 'upload'; names: string[] }
	| { at: number; kind: 'finish'; name: string }
	| { at: number; kind: 'verify'; name: string };

describe.each([
	{ skew: 60_000, order: 'upload' as const },
	{ skew: -60_000, order: 'updated-desc' as const },
])('1,000 files across 50 polls, DocFlow’s clock $skew ms off, list order $order', ({ skew, order }) => {
	test('every file is reported as processed once, every verification once', async () => {
		const seed = SEED + (skew > 0 ? 0 : 1);
		process.stdout.write(`trigger simulation seed ${seed} (TRIGGER_SEED=${SEED})\n`);
		const rand = random(seed);
		const FILES = 1_000;
		const POLLS = 50;
		const INTERVAL = 60_000;

		// DocFlow: 4 s per processing step (a file is finished ~16 s after its upload, its update
		// time moving at every step), at most 25 files per page, a minute off n8n's clock.
		env.emulator.setStepMs(4_000);
		env.emulator.setMaxPageSize(25);
		env.emulator.setClockSkew(skew);
		env.emulator.setFetchOrder(order);

		const t = new ActiveTrigger({
			parameters: triggerParameters({ events: ['processed', 'verified'] }),
			credentials: credentialFor(env.emulator),
		});
		expect(await t.activate()).toEqual({ items: null });

		// The plan: uploads over the first 44 minutes (in 5-second slots), some finished early by
		// hand, some verified 5–10 minutes after they finished (while there are polls to see it).
		const actions: Action[] = [];
		const slots = new Map<number, string[]>();
		const verifiedNames = new Set<string>();
		for (let i = 0; i < FILES; i++) {
			const name = `${rand() < 0.05 ? 'fail-' : ''}doc-${String(i).padStart(4, '0')}.pdf`;
			const at = START + 5_000 * Math.floor((rand() * 44 * 60_000) / 5_000) + 1_000;
			slots.set(at, [...(slots.get(at) ?? []), name]);
			if (rand() < 0.2) actions.push({ at: at + Math.floor(rand() * 15_000), kind: 'finish', name });
			const verifyAt = at + 5 * 60_000 + Math.floor(rand() * 5 * 60_000);
			if (rand() < 0.25 && verifyAt < START + 46 * 60_000) {
				actions.push({ at: verifyAt, kind: 'verify', name });
				verifiedNames.add(name);
			}
		}
		for (const [at, names] of slots) actions.push({ at, kind: 'upload', names });
		actions.sort((a, b) => a.at - b.at || (a.kind === 'upload' ? -1 : 1));

		const taskOf = new Map<string, string>();
		const apply = async (action: Action) => {
			if (action.kind === 'upload') {
				const seeded = await seedUpload(env.emulator, action.names);
				for (const file of seeded.files) taskOf.set(file.name, file.task_id);
			} else if (taskOf.has(action.name)) {
				if (action.kind === 'finish') env.emulator.finishTask(taskOf.get(action.name)!);
				else env.emulator.setVerification(taskOf.get(action.name)!, 2);
			}
		};
		let next = 0;
		/** Runs what is due by `until`, each at its own time; uploads only between polls (they are HTTP). */
		const runDue = async (until: number, duringPoll: boolean) => {
			while (next < actions.length && actions[next].at <= until) {
				if (duringPoll && actions[next].kind === 'upload') break;
				clock.set(Math.max(Date.now(), actions[next].at));
				await apply(actions[next]);
				next++;
			}
		};

		// Time passes while a poll reads: every file/fetch answer comes 0.1–0.9 s after the last,
		// and files finish (their steps run on) and get verified in between.
		env.emulator.beforeFetch(() => {
			clock.advance(100 + Math.floor(rand() * 800));
			while (next < actions.length && actions[next].at <= Date.now() && actions[next].kind !== 'upload') {
				const action = actions[next++];
				if (action.kind !== 'upload' && taskOf.has(action.name)) {
					if (action.kind === 'finish') env.emulator.finishTask(taskOf.get(action.name)!);
					else env.emulator.setVerification(taskOf.get(action.name)!, 2);
				}
			}
		});

		let restarts = 0;
		for (let k = 1; k <= POLLS; k++) {
			const pollAt = START + k * INTERVAL + Math.floor(rand() * 5_000);
			await runDue(pollAt, false);
			clock.set(Math.max(Date.now(), pollAt));
			const result = await t.poll();
			expect(result.error).toBeUndefined();
			if (k % 9 === 0) {
				// n8n restarts: the workflow comes back from the database and is activated again.
				t.restart();
				restarts++;
				expect((await t.activate()).error).toBeUndefined();
			}
		}
		expect(next).toBe(actions.length); // the whole plan ran

		const processed = t.items.filter((i) => i.json.event === 'processed');
		const verified = t.items.filter((i) => i.json.event === 'verified');
		const times = (list: typeof processed) => {
			const count = new Map<string, number>();
			for (const item of list) count.set(String(item.json.file_name), (count.get(String(item.json.file_name)) ?? 0) + 1);
			return count;
		};
		const reported = times(processed);
		expect({
			count: processed.length,
			missing: [...taskOf.keys()].filter((name) => !reported.has(name)),
			twice: [...reported].filter(([, n]) => n > 1).map(([name]) => name),
		}).toEqual({ count: FILES, missing: [], twice: [] });
		expect(taskOf.size).toBe(FILES);
		const wrongStatus = processed.filter(
			(i) => i.json.status !== (String(i.json.file_name).startsWith('fail-') ? 'failed' : 'success'),
		);
		expect(wrongStatus.map((i) => i.json.file_name)).toEqual([]);
		const verifiedTimes = times(verified);
		expect({
			count: verified.length,
			missing: [...verifiedNames].filter((name) => !verifiedTimes.has(name)),
			unexpected: [...verifiedTimes.keys()].filter((name) => !verifiedNames.has(name)),
		}).toEqual({ count: verifiedNames.size, missing: [], unexpected: [] });
		expect(restarts).toBe(5);
		// polls did page and split: far more requests than polls
		expect(fetchRequests(env.emulator).length).toBeGreaterThan(POLLS * 3);
	}, 120_000);
});

test('Max Files per Poll splits a burst of 1,000 files finished in one second over polls, without loss', async () => {
	env.emulator.setMaxPageSize(40);
	const t = new ActiveTrigger({
		parameters: triggerParameters({ options: { maxFilesPerPoll: 150 } }),
		credentials: credentialFor(env.emulator),
	});
	await t.activate();
	const tasks: string[] = [];
	for (let i = 0; i < 10; i++) {
		const seeded = await seedUpload(
			env.emulator,
			Array.from({ length: 100 }, (_, j) => `burst-${i}-${j}.pdf`),
		);
		tasks.push(...seeded.files.map((f) => f.task_id));
	}
	env.emulator.finishAll();
	clock.advance(61_000);

	const sizes: number[] = [];
	for (let k = 0; k < 9; k++) {
		const result = await t.poll();
		expect(result.error).toBeUndefined();
		sizes.push(result.items?.length ?? 0);
		clock.advance(60_000);
	}
	expect(sizes).toEqual([150, 150, 150, 150, 150, 150, 100, 0, 0]);
	const reported = t.items.map((i) => String(i.json.task_id));
	expect(new Set(reported).size).toBe(reported.length);
	expect(tasks.filter((task) => !reported.includes(task))).toEqual([]);
	// the burst does not fit in a page: it was read page by page
	expect(fetchRequests(env.emulator).some((r) => r.query.page === '25')).toBe(true);
}, 120_000);
