// What the Pulumi CLI checks before (and while) it runs a program, reproduced offline by the
// preflight. Each rule names the pulumi/pulumi source it follows; docs/deploy.md lists them from here.

export interface PreflightRule {
    /** What the CLI refuses, in one sentence. */
    checks: string;
    /** Where pulumi/pulumi does it (path and function), so a reader can compare. */
    source: string;
}

export const PREFLIGHT_RULES = {
    "project-file": {
        checks: "Pulumi.yaml exists and is a YAML mapping.",
        source: "sdk/go/common/workspace/loaders.go LoadProject",
    },
    "project-name": {
        checks: "The project has a name of 1-100 letters, digits, hyphens, underscores and periods.",
        source: "sdk/go/common/workspace/project.go ValidateProject; sdk/go/common/tokens/project.go ValidateProjectName",
    },
    "project-runtime": {
        checks: "The runtime is `nodejs` (a name, or {name, options}) and its options have the types the Node.js language host accepts.",
        source: "sdk/go/common/workspace/project.json (runtime); sdk/nodejs/cmd/pulumi-language-nodejs/main.go parseOptions",
    },
    "project-main": {
        checks: "`main`, when set, names a file or folder that exists.",
        source: "pkg/engine/project.go getPwdMain",
    },
    "project-config-schema": {
        checks: "Each `config:` entry is a value or a declaration with only type, items, description, secret, default and value; types are string, integer, boolean, array (with items) or object.",
        source: "sdk/go/common/workspace/project.json ($defs configTypeDeclaration, configItemsType); project.go Validate",
    },
    "project-config-default": {
        checks: "A declared key has a default or a value, not both, and its default has the declared type.",
        source: "sdk/go/common/workspace/project.go (*Project).Validate, ValidateConfigValue",
    },
    "project-config-namespaced": {
        checks: "A key of another namespace (aws:region, pulumi:disable-default-providers) gives a `value`, with no type and no default.",
        source: "sdk/go/common/workspace/project.go (*Project).Validate",
    },
    "stack-file": {
        checks: "Pulumi.<stack>.yaml is a YAML mapping of secretsprovider, encryptedkey, encryptionsalt, config and environment; the stack name is valid.",
        source: "sdk/go/common/workspace/loaders.go LoadProjectStackBytes; project.go ProjectStack; sdk/go/common/tokens ValidateStackName",
    },
    "stack-config-key": {
        checks: "Every stack config key is `<namespace>:<name>` (a bare key is taken as the project's).",
        source: "sdk/go/common/resource/config/key.go ParseKey; loaders.go stackConfigNamespacedWithProject",
    },
    "stack-secure-value": {
        checks: "A secure value is exactly {secure: <ciphertext>}, and the stack file carries what its secrets provider needs to decrypt it (encryptionsalt for passphrase, encryptedkey for a cloud KMS).",
        source: "sdk/go/common/resource/config/object.go isSecureValue; pkg/secrets/passphrase and pkg/secrets/cloud managers",
    },
    "stack-config-required": {
        checks: "Every project key with neither default nor value is set on the stack.",
        source: "pkg/workspace/config.go mergeConfig (ValidateStackConfigAndApplyProjectConfig)",
    },
    "stack-config-type": {
        checks: "Every stack value of a typed project key has that type, and a key declared secret is set as a secure value.",
        source: "pkg/workspace/config.go validateStackConfigValue",
    },
    "program-type-check": {
        checks: "The TypeScript program type-checks: the Node.js runtime runs it through ts-node, which type-checks unless told otherwise.",
        source: "sdk/nodejs/cmd/run/run.ts (transpileOnly from PULUMI_NODEJS_TRANSPILE_ONLY or tsconfig noCheck, else ts-node's type-checking default)",
    },
    "default-provider-disabled": {
        checks: "With pulumi:disable-default-providers, every resource and invoke of that package names an explicit provider.",
        source: "pkg/resource/deploy/default_providers.go shouldDenyRequest; sdk/go/common/diag/errors.go GetDefaultProviderDenied",
    },
} as const satisfies Record<string, PreflightRule>;

export type PreflightRuleId = keyof typeof PREFLIGHT_RULES;

export interface Problem {
    rule: PreflightRuleId;
    /** The file the problem is in, relative to the project root. */
    file: string;
    message: string;
}
