import type { RetrySettings } from '../transport/request';

/** How hard a picker tries: little, as the editor waits on it. */
export const PICKER_RETRY: Partial<RetrySettings> = { maxAttempts: 2, timeoutMs: 20_000 };
