// Every rule of the pack, without constructing the pack: the entry point (../index.ts), the offline
// runner, the docs generator and the tests all take them from here. One file per rule, named after
// the rule, in its pillar's folder: policy/rules/<pillar>/<rule-name>.ts.
import { RuleDoc, TandemPolicy } from "../lib/rule";
import { policyFor as exemptionsListed } from "./operational-excellence/policy-exemptions";
import { policyFor as exemptionValid } from "./operational-excellence/policy-exemption-valid";
import { policy as cloudwatchLogGroupKms } from "./security/cloudwatch-log-group-kms";
import { policy as iamNoAdminManagedPolicy } from "./security/iam-no-admin-managed-policy";
import { policy as iamNoPermissionsManagement } from "./security/iam-no-permissions-management";
import { policy as iamNoWildcardAction } from "./security/iam-no-wildcard-action";
import { policy as iamNoWildcardResource } from "./security/iam-no-wildcard-resource";
import { policy as iamRoleTrustMatchesUse } from "./security/iam-role-trust-matches-use";
import { policy as iamTrustPolicyScoped } from "./security/iam-trust-policy-scoped";
import { policy as kmsDeletionWindow } from "./security/kms-deletion-window";
import { policy as kmsKeyPolicyNoPublicPrincipal } from "./security/kms-key-policy-no-public-principal";
import { policy as kmsKeyPolicyServicePrincipalsScoped } from "./security/kms-key-policy-service-principals-scoped";
import { policy as kmsKeyRotation } from "./security/kms-key-rotation";
import { policy as kmsNoLockoutBypass } from "./security/kms-no-lockout-bypass";
import { policy as lambdaEnvironmentCustomerKey } from "./security/lambda-environment-customer-key";
import { policy as lambdaEnvironmentNoSecrets } from "./security/lambda-environment-no-secrets";
import { policy as lambdaFunctionUrlAuth } from "./security/lambda-function-url-auth";
import { policy as lambdaPermissionScoped } from "./security/lambda-permission-scoped";
import { policy as s3AccessLogging } from "./security/s3-access-logging";
import { policy as s3AclsDisabled } from "./security/s3-acls-disabled";
import { policy as s3BucketKeyEnabled } from "./security/s3-bucket-key-enabled";
import { policy as s3DefaultEncryption } from "./security/s3-default-encryption";
import { policy as s3NoPublicPolicy } from "./security/s3-no-public-policy";
import { policy as s3PublicAccessBlock } from "./security/s3-public-access-block";
import { policy as s3SseKmsCustomerKey } from "./security/s3-sse-kms-customer-key";
import { policy as s3TlsOnlyPolicy } from "./security/s3-tls-only-policy";
import { policy as snsTopicKms } from "./security/sns-topic-kms";
import { policy as sqsQueueCustomerKey } from "./security/sqs-queue-customer-key";
import { policy as cloudwatchAlarmAction } from "./reliability/cloudwatch-alarm-action";
import { policy as cloudwatchCanaryLagAlarm } from "./reliability/cloudwatch-canary-lag-alarm";
import { policy as cloudwatchRpoAlarmMissingDataBreaching } from "./reliability/cloudwatch-rpo-alarm-missing-data-breaching";
import { policy as cloudwatchRpoAlarmThreshold } from "./reliability/cloudwatch-rpo-alarm-threshold";
import { policy as iamStandbyApiReadOnly } from "./reliability/iam-standby-api-read-only";
import { policy as lambdaExplicitMemory } from "./reliability/lambda-explicit-memory";
import { policy as lambdaExplicitTimeout } from "./reliability/lambda-explicit-timeout";
import { policy as lambdaFailureDestination } from "./reliability/lambda-failure-destination";
import { policy as lambdaFunctionAlarms } from "./reliability/lambda-function-alarms";
import { policy as lambdaReservedConcurrency } from "./reliability/lambda-reserved-concurrency";
import { policy as lambdaSupportedRuntime } from "./reliability/lambda-supported-runtime";
import { policy as lambdaTimeoutWithinTriggerLimit } from "./reliability/lambda-timeout-within-trigger-limit";
import { policy as lambdaTriggerNamesFunctionArn } from "./reliability/lambda-trigger-names-function-arn";
import { policy as s3CrossRegionReplication } from "./reliability/s3-cross-region-replication";
import { policy as s3NotificationNoRecursiveTrigger } from "./reliability/s3-notification-no-recursive-trigger";
import { policy as s3ReplicationAlarmHasMetrics } from "./reliability/s3-replication-alarm-has-metrics";
import { policy as s3ReplicationDeleteMarkers } from "./reliability/s3-replication-delete-markers";
import { policy as s3ReplicationDestinationValid } from "./reliability/s3-replication-destination-valid";
import { policy as s3ReplicationKmsObjects } from "./reliability/s3-replication-kms-objects";
import { policy as s3ReplicationLagAlarm } from "./reliability/s3-replication-lag-alarm";
import { policy as s3ReplicationReplicaModifications } from "./reliability/s3-replication-replica-modifications";
import { policy as s3ReplicationRolePermissions } from "./reliability/s3-replication-role-permissions";
import { policy as s3VersioningEnabled } from "./reliability/s3-versioning-enabled";
import { policy as sqsFailureQueueAlarm } from "./reliability/sqs-failure-queue-alarm";
import { policy as cloudwatchDashboard } from "./operational-excellence/cloudwatch-dashboard";
import { policy as lambdaLogGroupRetention } from "./operational-excellence/lambda-log-group-retention";
import { policy as lambdaTracingActive } from "./operational-excellence/lambda-tracing-active";
import { policy as requiredTags } from "./operational-excellence/required-tags";
import { policy as lambdaArm64 } from "./performance-efficiency/lambda-arm64";
import { policy as lambdaMemoryBounds } from "./performance-efficiency/lambda-memory-bounds";
import { policy as cloudwatchLogRetentionSet } from "./cost-optimization/cloudwatch-log-retention-set";
import { policy as s3LifecycleAbortIncompleteUploads } from "./cost-optimization/s3-lifecycle-abort-incomplete-uploads";
import { policy as s3LifecycleNoncurrentExpiration } from "./cost-optimization/s3-lifecycle-noncurrent-expiration";

const rules: TandemPolicy[] = [
    // security
    cloudwatchLogGroupKms,
    iamNoAdminManagedPolicy,
    iamNoPermissionsManagement,
    iamNoWildcardAction,
    iamNoWildcardResource,
    iamRoleTrustMatchesUse,
    iamTrustPolicyScoped,
    kmsDeletionWindow,
    kmsKeyPolicyNoPublicPrincipal,
    kmsKeyPolicyServicePrincipalsScoped,
    kmsKeyRotation,
    kmsNoLockoutBypass,
    lambdaEnvironmentCustomerKey,
    lambdaEnvironmentNoSecrets,
    lambdaFunctionUrlAuth,
    lambdaPermissionScoped,
    s3AccessLogging,
    s3AclsDisabled,
    s3BucketKeyEnabled,
    s3DefaultEncryption,
    s3NoPublicPolicy,
    s3PublicAccessBlock,
    s3SseKmsCustomerKey,
    s3TlsOnlyPolicy,
    snsTopicKms,
    sqsQueueCustomerKey,
    // reliability
    cloudwatchAlarmAction,
    cloudwatchCanaryLagAlarm,
    cloudwatchRpoAlarmMissingDataBreaching,
    cloudwatchRpoAlarmThreshold,
    iamStandbyApiReadOnly,
    lambdaExplicitMemory,
    lambdaExplicitTimeout,
    lambdaFailureDestination,
    lambdaFunctionAlarms,
    lambdaReservedConcurrency,
    lambdaSupportedRuntime,
    lambdaTimeoutWithinTriggerLimit,
    lambdaTriggerNamesFunctionArn,
    s3CrossRegionReplication,
    s3NotificationNoRecursiveTrigger,
    s3ReplicationAlarmHasMetrics,
    s3ReplicationDeleteMarkers,
    s3ReplicationDestinationValid,
    s3ReplicationKmsObjects,
    s3ReplicationLagAlarm,
    s3ReplicationReplicaModifications,
    s3ReplicationRolePermissions,
    s3VersioningEnabled,
    sqsFailureQueueAlarm,
    // operational-excellence
    cloudwatchDashboard,
    lambdaLogGroupRetention,
    lambdaTracingActive,
    requiredTags,
    // performance-efficiency
    lambdaArm64,
    lambdaMemoryBounds,
    // cost-optimization
    cloudwatchLogRetentionSet,
    s3LifecycleAbortIncompleteUploads,
    s3LifecycleNoncurrentExpiration,
];

const ruleNames = rules.map((r) => r.name);

/** The pack's policies, in report order; the last two are about exemptions themselves. */
export const policies: TandemPolicy[] = [...rules, exemptionValid(ruleNames), exemptionsListed(ruleNames)];

/** The documentation of each rule (docs/policy.md is generated from it). */
export function ruleDocs(): RuleDoc[] {
    return policies.map((p) => p.doc);
}
