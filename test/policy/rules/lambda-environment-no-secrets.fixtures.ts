import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const withEnv = (vars: Record<string, unknown>) => edit(program(), "api", (p) => ({ ...p, environment: { variables: { ...(p.environment as any).variables, ...vars } } }));

export const fixtures: RuleFixtures = {
    rule: "lambda-environment-no-secrets",
    cases: [
        pass("the api's environment (bucket name, role, service)", program()),
        pass("references, ids and plain settings", withEnv({
            DB_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            KEY_ID: "0b6c5a9e-1f2d-4c3b-9a8e-7d6f5e4c3b2a",
            LOG_BUCKET: "tandem-logs-123456789012-ap-southeast-1",
            UPSTREAM: "https://api.example.com/v1/documents",
            TOKEN_TTL_SECONDS: "900",
        }), { config: { "lambda-environment-no-secrets": { allowedNames: ["TOKEN_TTL_SECONDS"] } } }),
        fail("a password by name", "api", withEnv({ DB_PASSWORD: "correct-horse-battery-staple" })),
        fail("an AWS secret access key under an innocent name (entropy)", "api", withEnv({ UPSTREAM_CONFIG: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" })),
        fail("credentials inside a connection URL", "api", withEnv({ DATABASE_URL: "postgres://app:s3cr3t@db.internal:5432/documents" })),
        fail("a Slack bot token", "api", withEnv({ NOTIFY: "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx" })),
        fail("an AWS access key id", "api", withEnv({ UPLOAD_ID: "AKIAIOSFODNN7EXAMPLE" })),
        fail("a 64-character hex key", "api", withEnv({ SIGNING: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" })),
        fail("a GitHub token", "api", withEnv({ GH: "ghp_16C7e42F292c6912E7710c838347Ae178B4a" })),
    ],
};
