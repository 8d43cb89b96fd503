/** The Category Sample resource's shapes. */

// ---------- Category Sample (category/sample/batch_upload, list, batch_download, delete) ----------

/** The spec's CategorySample: one example document of a file category. */
export interface CategorySample {
	sample_id: string;
	file_name: string;
	[key: string]: unknown;
}

export interface CategorySampleListResult {
	total: number;
	page: number;
	page_size: number;
	samples: CategorySample[];
}

/**
 * category/sample/batch_upload's result: the category's whole sample list with
 * `with_detail=true` (the spec). The samples guide shows `sample_ids` instead; read too.
 */
export interface CategorySampleUploadResult {
	samples?: CategorySample[];
	sample_ids?: string[];
}

/**
 * Limits on samples. Per request: the spec's `maxItems: 10` for `files` (its description says
 * 20; the schema's limit is the one a server validates). Per category: 20 (category/create's
 * description and the category guides). Size and formats: the samples guide refers to the
 * upload's (MAX_FILE_BYTES, SUPPORTED_EXTENSIONS). Pages: page_size up to 100 (the guide).
 */
export const CATEGORY_SAMPLE_LIMITS = {
	filesPerUpload: 10,
	samplesPerCategory: 20,
	pageSize: 100,
} as const;
