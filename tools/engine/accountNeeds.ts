// What a stack needs from the AWS account that no offline check can see, computed from what the
// program registers, each with the command that shows whether the account has it.
import { Inventory } from "./evaluate";
import { TYPES } from "./resourceTypes";

export interface AccountNeed {
    region: string;
    /** What the account must have, in one sentence. */
    need: string;
    /** A read-only AWS CLI command that shows what it has. */
    check: string;
}

/**
 * Lambda lets functions reserve concurrency only while at least 100 units stay unreserved for the rest
 * of the account ("Specified ReservedConcurrentExecutions for function decreases account's
 * UnreservedConcurrentExecution below its minimum value"; docs.aws.amazon.com/lambda/latest/dg/
 * configuration-concurrency.html), and new accounts often start with a limit of 10.
 */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

export function accountNeeds(inventory: Inventory): AccountNeed[] {
    const reserved = new Map<string, number>();
    for (const r of inventory.resources.filter((x) => x.type === TYPES.function)) {
        const units = Number(r.inputs.reservedConcurrentExecutions ?? -1);
        if (units > 0 && r.region) {
            reserved.set(r.region, (reserved.get(r.region) ?? 0) + units);
        }
    }
    return [...reserved].map(([region, units]) => ({
        region,
        need: `a Lambda concurrent-executions limit of at least ${units + UNRESERVED_CONCURRENCY_MINIMUM} (${units} reserved by this stack's functions + ${UNRESERVED_CONCURRENCY_MINIMUM} Lambda keeps unreserved); more if other functions of the account reserve concurrency too`,
        check: `aws lambda get-account-settings --region ${region} --query '[AccountLimit.ConcurrentExecutions, AccountLimit.UnreservedConcurrentExecutions]'`,
    }));
}
