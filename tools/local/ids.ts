// Identifiers the mock runtime invented and moto chose differently. ARNs built from names (buckets,
// queues, topics, functions) are the same on both, as the program is evaluated with moto's account id;
// KMS key ids (random UUIDs on moto) and queue URLs (moto's host) are not. Registered values are
// translated through this map before they reach moto or a function's environment.

export class IdMap {
    private readonly pairs = new Map<string, string>();

    /** From now on, `mock` (anywhere inside a string) reads `moto`. */
    add(mock: string, moto: string): void {
        if (mock === "" || mock === moto) return;
        const known = this.pairs.get(mock);
        if (known !== undefined && known !== moto) throw new Error(`${mock} is already provisioned as ${known}, not ${moto}`);
        this.pairs.set(mock, moto);
    }

    /** `value` with every mock identifier replaced, at any depth. */
    translate<T>(value: T): T {
        if (typeof value === "string") {
            let out: string = value;
            for (const [mock, moto] of this.pairs) out = out.split(mock).join(moto);
            return out as T;
        }
        if (Array.isArray(value)) return value.map((v) => this.translate(v)) as T;
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.translate(v)])) as T;
        }
        return value;
    }
}
