import type { MultipartFile } from '../transport/multipart';
import type { RetrySettings } from '../transport/request';

/**
 * Upload's planning of combined requests: which items' files go to DocFlow together, within the
 * run's limits, and the names DocFlow will store for them.
 */

/** One item's upload: its files or URLs, into one batch of one workspace. */
export interface ItemUpload {
	itemIndex: number;
	workspaceId: string;
	batchNumber: string;
	query: Record<string, string | number>;
	files?: MultipartFile[];
	urls?: string[];
	retry: Partial<RetrySettings>;
}

/** How many files, and how many bytes of them, one combined request may carry. */
export interface CombineLimits {
	maxFiles: number;
	maxBytes: number;
}

/** Items that share one request; it is sent when the first of them asks for its result. */
export interface SharedRequest {
	uploads: ItemUpload[];
	sent?: Promise<void>;
}

/** The name DocFlow stores for each file an item sends, to find them in the batch again. */
export function sentNames(upload: ItemUpload): string[] {
	if (upload.files) return upload.files.map((file) => file.fileName);
	return (upload.urls ?? []).map((url) => {
		const last = new URL(url).pathname.split('/').pop() ?? '';
		try {
			return decodeURIComponent(last);
		} catch {
			return last;
		}
	});
}

/** Items whose files may go in one request: same endpoint settings, workspace, batch, query and retries. */
function combineKey(upload: ItemUpload): string {
	const sorted = (record: object) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return JSON.stringify([upload.workspaceId, upload.batchNumber, sorted(upload.query), sorted(upload.retry)]);
}

/**
 * Which items share a request, in item order: an item joins the open request of its kind if
 * its files fit the limits and none has the name of another item's file there; otherwise it
 * opens the next one. URL uploads always go alone: DocFlow names their files itself.
 */
export function planRequests(uploads: ItemUpload[], limits?: CombineLimits): Map<number, SharedRequest> {
	const byItem = new Map<number, SharedRequest>();
	const open = new Map<string, { group: SharedRequest; files: number; bytes: number; names: Set<string> }>();
	for (const upload of [...uploads].sort((a, b) => a.itemIndex - b.itemIndex)) {
		const names = sentNames(upload);
		const bytes = (upload.files ?? []).reduce((sum, file) => sum + file.size, 0);
		const key = limits && upload.files ? combineKey(upload) : undefined;
		let current = key === undefined ? undefined : open.get(key);
		const fits =
			current !== undefined &&
			current.files + names.length <= limits!.maxFiles &&
			current.bytes + bytes <= limits!.maxBytes &&
			names.every((name) => !current!.names.has(name));
		if (!current || !fits) {
			current = { group: { uploads: [] }, files: 0, bytes: 0, names: new Set() };
			if (key !== undefined) open.set(key, current);
		}
		current.group.uploads.push(upload);
		current.files += names.length;
		current.bytes += bytes;
		for (const name of names) current.names.add(name);
		byItem.set(upload.itemIndex, current.group);
	}
	return byItem;
}
