// lambda-environment-no-secrets: no secret in an environment variable, by name or by value.
import { T } from "../../lib/types";
import { resourceRule } from "../../lib/rule";
import { CREDENTIAL_SHAPES, highEntropyToken, redact, SECRET_REFERENCE } from "../../lib/secrets";
import { isUnknown } from "../../lib/values";
import { environmentVariables } from "./lambda-environment-customer-key";

interface Settings {
    secretNamePattern: string;
    allowedNames: string[];
    base64EntropyLimit: number;
    hexEntropyLimit: number;
    minimumTokenLength: number;
}

export const policy = resourceRule<Settings>({
    name: "lambda-environment-no-secrets",
    pillar: "security",
    description: "Lambda environment variables hold no secrets in plain values: not under a secret-like name, not in a known credential shape, not as a random-looking high-entropy token.",
    rationale: "Environment variables are stored in the function configuration, shown in the console and returned by GetFunctionConfiguration, and land in the program's state and previews; a key pasted there under an innocent name (CONFIG, UPSTREAM) is as exposed as one called PASSWORD.",
    anchors: ["Checkov CKV_AWS_45", "Well-Architected SEC02-BP03", "detect-secrets Base64HighEntropyString / HexHighEntropyString", "gitleaks default rules"],
    satisfy: "Keep secrets in Secrets Manager or SSM Parameter Store and put only their ARN or name in the environment; the function reads the secret at cold start. Values computed from other resources (bucket names, ARNs) are never reported.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            secretNamePattern: {
                type: "string",
                default: "(password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|credential|client[_-]?secret|access[_-]?key)",
                description: "Case-insensitive regular expression: variables whose name matches must not hold a literal value.",
            },
            allowedNames: { type: "array", items: { type: "string" }, default: [], description: "Variable names never reported (e.g. a token's expiry setting)." },
            base64EntropyLimit: { type: "number", minimum: 0, maximum: 8, default: 4.5, description: "Bits per character above which a base64-like token of at least minimumTokenLength characters is a secret (detect-secrets: 4.5)." },
            hexEntropyLimit: { type: "number", minimum: 0, maximum: 4, default: 3, description: "Bits per character above which a hex token of 32 or more characters is a secret (detect-secrets: 3.0)." },
            minimumTokenLength: { type: "integer", minimum: 8, maximum: 256, default: 20, description: "Shortest token measured for entropy." },
        },
    },
}, {
    types: [T.function],
    check: ({ props, config, report }) => {
        const secretName = new RegExp(config.secretNamePattern, "i");
        for (const [name, value] of Object.entries(environmentVariables(props))) {
            if (config.allowedNames.includes(name) || typeof value !== "string" || isUnknown(value) || value.trim() === "" || SECRET_REFERENCE.test(value)) {
                continue; // Values computed from other resources are outputs, not literals.
            }
            const shape = CREDENTIAL_SHAPES.find(([, re]) => re.test(value));
            if (shape) {
                report(`${name} holds what looks like ${shape[0]} (${redact(value)}): keep it in Secrets Manager or SSM and pass its ARN.`);
                continue;
            }
            const token = highEntropyToken(value, { base64: config.base64EntropyLimit, hex: config.hexEntropyLimit, minLength: config.minimumTokenLength });
            if (token) {
                report(`${name} holds a random-looking ${token.kind} token (${redact(token.token)}, ${token.entropy.toFixed(2)} bits per character): a secret by its shape, whatever the name. Keep it in Secrets Manager or SSM.`);
            } else if (secretName.test(name)) {
                report(`${name} looks like a secret and has a literal value (${value.length} characters): pass a Secrets Manager or SSM reference instead.`);
            }
        }
    },
});
