import type { IExecuteFunctions } from 'n8n-workflow';

import type { InputFile } from '../../helpers/binaryInput';
import { CATEGORY_SAMPLE_LIMITS } from '../../transport/api.types';
import type { CategorySample } from '../../transport/api.types';
import { listCategorySamples, uploadCategorySamples } from '../../transport/endpoints/categorySample';
import type { CategoryRef } from '../../transport/endpoints/categorySample';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';

/** One item's samples, into one category. */
export interface SampleUpload extends CategoryRef {
	itemIndex: number;
	files: InputFile[];
	retry: Partial<RetrySettings>;
}

interface CategoryState {
	/** Sample IDs the category holds: read once before the run's first upload, then kept up to date. */
	known?: Promise<Set<string>>;
	/** One upload at a time per category (see SampleUploads). */
	queue: Promise<unknown>;
}

const quoted = (names: string[]) => names.map((name) => `“${name}”`).join(', ');

/**
 * The run's uploads of samples, so that none is stored twice and each item gets the IDs of its
 * own samples. DocFlow's answer names no file of the request: with `with_detail` it lists the
 * category's samples, and an upload whose answer got lost can only be checked by listing them.
 * So the samples there before an upload are known (read once per category), a new sample of the
 * name a file was sent under is that file's, and uploads into the same category go one at a
 * time: two of the run's items never wait for the same new sample. With at most 20 samples per
 * category, that costs nothing worth having.
 */
export class SampleUploads {
	private readonly categories = new Map<string, CategoryState>();

	/** Uploads one item's files; their samples, in the order of the files. */
	async send(ctx: IExecuteFunctions, upload: SampleUpload): Promise<CategorySample[]> {
		const key = `${upload.workspaceId}\u0000${upload.categoryId}`;
		let state = this.categories.get(key);
		if (!state) {
			state = { queue: Promise.resolve() };
			this.categories.set(key, state);
		}
		const category = state;
		const turn = category.queue.then(async () => await this.sendNow(ctx, category, upload));
		category.queue = turn.catch(() => undefined);
		return await turn;
	}

	private async knownSamples(ctx: IExecuteFunctions, state: CategoryState, upload: SampleUpload): Promise<Set<string>> {
		state.known ??= listCategorySamples(ctx, upload, { itemIndex: upload.itemIndex, retry: upload.retry }).then(
			(samples) => new Set(samples.map((sample) => String(sample.sample_id))),
			(error: Error) => {
				// The next item tries again: a failed read says nothing about the category.
				state.known = undefined;
				throw error;
			},
		);
		return await state.known;
	}

	private async sendNow(ctx: IExecuteFunctions, state: CategoryState, upload: SampleUpload): Promise<CategorySample[]> {
		const { itemIndex, files, categoryId } = upload;
		const node = ctx.getNode();
		const known = await this.knownSamples(ctx, state, upload);
		const limit = CATEGORY_SAMPLE_LIMITS.samplesPerCategory;
		if (known.size + files.length > limit) {
			throw itemError(
				node,
				`Category ${categoryId} already has ${known.size} sample${known.size === 1 ? '' : 's'}; ${files.length} more would exceed DocFlow’s limit of ${limit} per category`,
				{
					itemIndex,
					description: `Nothing of this item was uploaded. Delete samples the category no longer needs (Category Sample → Delete), or upload at most ${Math.max(0, limit - known.size)} now.`,
				},
			);
		}

		const found = new Map<number, CategorySample>();
		let pending = files.map((_, index) => index);
		/** Claims, for each pending file, a sample new to the category of the name it was sent under. */
		const claim = (samples: CategorySample[]): number[] => {
			const fresh = samples.filter((sample) => !known.has(String(sample.sample_id)));
			const missing: number[] = [];
			for (const index of pending) {
				const match = fresh.findIndex((sample) => sample.file_name === files[index].fileName);
				if (match < 0) {
					missing.push(index);
					continue;
				}
				const [sample] = fresh.splice(match, 1);
				found.set(index, sample);
				known.add(String(sample.sample_id));
			}
			return missing;
		};

		const answer = await uploadCategorySamples(
			ctx,
			() => ({ ...upload, files: pending.map((index) => files[index]) }),
			{
				verify: async () => {
					let samples: CategorySample[];
					try {
						samples = await listCategorySamples(ctx, upload, { itemIndex, retry: upload.retry });
					} catch (error) {
						const names = pending.map((index) => files[index].fileName);
						throw itemError(node, `${quoted(names)} may have been uploaded to category ${categoryId} — check its samples`, {
							itemIndex,
							description: `DocFlow’s answer to the upload got lost, and listing the category’s samples to check failed as well (${(error as Error).message}). The node did not send the files again, to avoid duplicates. Look at the category with Category Sample → Get Many and upload only what is missing.`,
							context: { fileName: names.join(', ') },
						});
					}
					pending = claim(samples);
					ctx.logger.debug(
						`DocFlow sample upload of item ${itemIndex}: no answer; ${files.length - pending.length} of ${files.length} file(s) found in category ${categoryId}, ${pending.length} to send again`,
					);
					return pending.length === 0 ? 'received' : 'resend';
				},
			},
		);

		if (answer && pending.length > 0) {
			const ids = Array.isArray(answer.sample_ids) ? answer.sample_ids : undefined;
			if (ids && ids.length === pending.length && !Array.isArray(answer.samples)) {
				// The samples guide's answer: the new IDs, in the order sent.
				pending.forEach((index, k) => {
					found.set(index, { sample_id: String(ids[k]), file_name: files[index].fileName });
					known.add(String(ids[k]));
				});
				pending = [];
			} else if (Array.isArray(answer.samples)) {
				pending = claim(answer.samples.filter((sample) => typeof sample === 'object' && sample !== null));
			}
			if (pending.length > 0) {
				// An answer without the samples: the list has them (a read).
				pending = claim(await listCategorySamples(ctx, upload, { itemIndex, retry: upload.retry }));
			}
			if (pending.length > 0) {
				const names = pending.map((index) => files[index].fileName);
				throw itemError(node, `DocFlow accepted the upload but does not list ${quoted(names)} among the samples of category ${categoryId}`, {
					itemIndex,
					description:
						'DocFlow answered that the upload succeeded, yet the category has no new sample of that name. Check the category with Category Sample → Get Many before uploading again.',
					context: { fileName: names.join(', ') },
				});
			}
		}
		return files.map((_, index) => found.get(index) as CategorySample);
	}
}
