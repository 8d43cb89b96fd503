// Queue of injected faults, consumed in injection order.
import type { FaultRule } from './types.ts';

export const PRE_FAULTS = ['status', 'business', 'html', 'non-json', 'reset-before', 'redirect'];
export const POST_FAULTS = ['truncated-json', 'reset-after', 'hang-after', 'delay'];

interface ActiveFault {
	rule: FaultRule;
	remaining: number;
}

export class FaultQueue {
	private rules: ActiveFault[] = [];

	add(rule: FaultRule): void {
		if (!rule || typeof rule.path !== 'string' || !rule.kind) throw new Error('fault needs path and kind');
		if (![...PRE_FAULTS, ...POST_FAULTS].includes(rule.kind)) throw new Error(`unknown fault kind: ${rule.kind}`);
		if (rule.kind === 'status' && typeof rule.status !== 'number') throw new Error("fault kind 'status' needs status");
		if (rule.kind === 'business' && typeof rule.code !== 'number') throw new Error("fault kind 'business' needs code");
		if (rule.kind === 'redirect' && typeof rule.location !== 'string') throw new Error("fault kind 'redirect' needs location");
		if (rule.kind === 'redirect' && rule.status !== undefined && !(rule.status >= 300 && rule.status < 400))
			throw new Error("fault kind 'redirect' needs a 3xx status");
		const times = rule.times === undefined ? 1 : rule.times;
		if (times > 0) this.rules.push({ rule: { ...rule }, remaining: times });
	}

	clear(): void {
		this.rules = [];
	}

	get pending(): number {
		return this.rules.reduce((n, r) => n + r.remaining, 0);
	}

	/** Takes (consumes one use of) the first rule matching method and path. */
	take(method: string, path: string): FaultRule | undefined {
		for (let i = 0; i < this.rules.length; i++) {
			const r = this.rules[i];
			if (r.rule.method && r.rule.method.toUpperCase() !== method.toUpperCase()) continue;
			const suffix = r.rule.path.replace(/^\/+/, '');
			if (!(path === suffix || path.endsWith('/' + suffix))) continue;
			r.remaining -= 1;
			if (r.remaining <= 0) this.rules.splice(i, 1);
			return r.rule;
		}
		return undefined;
	}
}
