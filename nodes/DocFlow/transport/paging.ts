/** One page of a list as DocFlow answers it: what it lists, and its total when it gives one. */
export interface Page {
	items: unknown;
	total?: unknown;
}

export interface AllPagesOptions<T> {
	/** Stop after this many; undefined: all of them. */
	limit?: number;
	/** The most DocFlow serves per page (asked for less when the limit is smaller). */
	maxPageSize: number;
	/**
	 * An ID to drop what an earlier page already brought: a page that brings nothing new then
	 * ends the list too, so a server that ignores `page` cannot keep the node looping.
	 */
	idOf?: (item: T) => string;
}

/**
 * A whole list, following page/page_size until DocFlow has no more (or `limit` is reached).
 * The end is where DocFlow's total says; a short page ends the list only when DocFlow gives no
 * total, as a server may cap page_size below what was asked. Only objects count as items.
 */
export async function readAllPages<T extends object>(
	readPage: (page: number, pageSize: number) => Promise<Page | undefined>,
	options: AllPagesOptions<T>,
): Promise<T[]> {
	const { limit, idOf } = options;
	const pageSize = Math.min(limit ?? options.maxPageSize, options.maxPageSize);
	const all: T[] = [];
	const seen = new Set<string>();
	for (let page = 1; ; page++) {
		const result = await readPage(page, pageSize);
		const onPage = (Array.isArray(result?.items) ? (result.items as unknown[]) : []).filter(
			(item): item is T => typeof item === 'object' && item !== null,
		);
		let added = 0;
		for (const item of onPage) {
			const id = idOf?.(item) ?? '';
			if (id !== '' && seen.has(id)) continue;
			seen.add(id);
			all.push(item);
			added++;
		}
		const limitReached = limit !== undefined && all.length >= limit;
		const lastPage = typeof result?.total === 'number' ? all.length >= result.total : onPage.length < pageSize;
		if (limitReached || lastPage || added === 0) break;
	}
	return limit !== undefined ? all.slice(0, limit) : all;
}
