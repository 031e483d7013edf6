// Deterministic physical names. Each stack derives its peer's names from the same rules, which is how
// the primary finds the standby's bucket and key without a StackReference or a shared backend.

/** Globally unique S3 names: the account and region make them unique, the app name makes them readable. */
export function dataBucketName(app: string, accountId: string, region: string): string {
    return `${app}-data-${accountId}-${region}`;
}

export function accessLogBucketName(app: string, accountId: string, region: string): string {
    return `${app}-logs-${accountId}-${region}`;
}

/** The alias of the region key; the peer's key is found through the same alias in the peer region. */
export function keyAlias(app: string): string {
    return `alias/${app}`;
}

/** Function names are per region (Lambda names are regional), so the app name is enough. */
export function functionName(app: string, fn: string): string {
    return `${app}-${fn}`;
}

/** Lambda's default log group; creating it ourselves, before the function, sets retention and KMS. */
export function functionLogGroupName(functionName: string): string {
    return `/aws/lambda/${functionName}`;
}

export function replicationRoleName(app: string, region: string): string {
    return `${app}-replication-${region}`;
}

export function dashboardName(app: string, region: string): string {
    return `${app}-${region}`;
}

/** S3 bucket names allow 3-63 characters; this bounds the app name so every derived name is valid. */
export const MAX_APP_NAME_LENGTH = 63 - "-data-123456789012-ap-southeast-1".length;
