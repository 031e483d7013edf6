// The GitHub Actions workflows (.github/workflows): what they run, in which order, with which
// permissions. Parsed as YAML and checked for what matters when they deploy to a real account.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { deployPlan } from "../../tools/deploy/deploy";
import { deployOrder } from "../../tools/deploy/order";

const DIR = path.join(__dirname, "..", "..", ".github", "workflows");

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    "working-directory"?: string;
}

interface Job {
    name?: string;
    uses?: string;
    needs?: string | string[];
    if?: string;
    environment?: string;
    permissions?: Record<string, string> | string;
    strategy?: { matrix?: { include?: Record<string, string>[] } };
    steps?: Step[];
}

interface Workflow {
    name: string;
    on: Record<string, any>;
    permissions?: Record<string, string> | string;
    concurrency?: { group: string; "cancel-in-progress": boolean | string };
    jobs: Record<string, Job>;
}

function load(file: string): Workflow {
    // js-yaml reads `on:` as the string key "on" (YAML 1.2 core schema), as GitHub does.
    return yaml.load(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
}

const files = () => fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const stepIndex = (job: Job, match: (s: Step) => boolean) => (job.steps ?? []).findIndex(match);
const isPulumi = (s: Step) => s.uses?.startsWith("pulumi/actions@") === true;
const isRootInstall = (s: Step) => /^npm ci\b/.test(s.run ?? "") && s["working-directory"] === undefined;
const isPolicyInstall = (s: Step) => (/^npm ci\b/.test(s.run ?? "") && s["working-directory"] === "policy") || /npm ci .*--prefix policy/.test(s.run ?? "");

/** Jobs `job` waits for, directly or not. */
function ancestors(wf: Workflow, job: string): Set<string> {
    const seen = new Set<string>();
    const visit = (j: string) => needsOf(wf.jobs[j]).forEach((n) => {
        if (!seen.has(n)) {
            seen.add(n);
            visit(n);
        }
    });
    visit(job);
    return seen;
}

function pulumiJobs(wf: Workflow): [string, Job][] {
    return Object.entries(wf.jobs).filter(([, j]) => (j.steps ?? []).some(isPulumi));
}

describe("CI: GitHub Actions workflows", () => {
    it("are the offline checks, the pull-request preview and the main-branch deploy", () => {
        assert.deepEqual(files().sort(), ["checks.yml", "deploy.yml", "preview.yml"]);
        for (const f of files()) assert.doesNotThrow(() => load(f), f);
    });

    it("run the offline checks: npm ci for the program and the pack, lint (the type check `pulumi up` does), npm test, the plan of both stacks", () => {
        const wf = load("checks.yml");
        assert.ok("workflow_call" in wf.on);
        const job = wf.jobs.test;
        const runs = (job.steps ?? []).map((s) => s.run ?? "");
        const root = stepIndex(job, isRootInstall);
        const pack = stepIndex(job, isPolicyInstall);
        const test = runs.indexOf("npm test");
        const lint = runs.indexOf("npm run lint");
        assert.ok(root >= 0 && pack >= 0, "installs the program and the policy pack");
        assert.ok(test > root && test > pack, "installs before testing");
        assert.ok(lint > root && lint < test, "lints (tsc: a type error fails `pulumi up`) before testing");
        assert.ok(runs.indexOf("npm run plan -- --stack dr") > test && runs.indexOf("npm run plan -- --stack prod") > test, "plans both stacks after the tests");
        assert.ok(runs.some((r) => /pip install "moto\[server\]/.test(r)), "installs moto for the function tests");
    });

    it("previews dr and prod with the policy pack on pull requests, commented on the PR, after the checks", () => {
        const wf = load("preview.yml");
        assert.deepEqual(Object.keys(wf.on), ["pull_request"]);
        assert.equal(wf.jobs.checks.uses, "./.github/workflows/checks.yml");
        const preview = wf.jobs.preview;
        assert.deepEqual(needsOf(preview), ["checks"]);
        assert.match(preview.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/, "no preview for forks (no secrets there)");
        assert.deepEqual(preview.strategy?.matrix?.include?.map((m) => [m.stack, m.region]), [["dr", "us-west-2"], ["prod", "us-east-1"]]);
        const pulumi = preview.steps!.find(isPulumi)!;
        assert.equal(pulumi.with?.command, "preview");
        assert.match(String(pulumi.with?.["stack-name"]), /matrix\.stack/);
        assert.equal(pulumi.with?.policyPacks, "policy");
        assert.equal(pulumi.with?.["comment-on-pr"], true);
        assert.equal(pulumi.with?.["github-token"], "${{ secrets.GITHUB_TOKEN }}");
        assert.equal(wf.concurrency?.["cancel-in-progress"], true, "a newer push cancels the older preview");
        assert.match(wf.concurrency?.group ?? "", /pull_request\.number/);
    });

    it("deploys on pushes to main only, in the deploy order of the stack files, one deploy at a time, creating missing stacks", () => {
        const wf = load("deploy.yml");
        assert.deepEqual(wf.on, { push: { branches: ["main"] } });
        assert.deepEqual(wf.concurrency, { group: "deploy", "cancel-in-progress": false });
        const order = deployOrder().map((s) => s.stack);
        assert.deepEqual(order, ["dr", "prod"], "standby first: the primary replicates into its bucket and key");
        const jobOf = (stack: string) => `deploy-${stack}`;
        for (const [i, stack] of order.entries()) {
            const job = wf.jobs[jobOf(stack)];
            assert.ok(job, `a deploy job for ${stack}`);
            const up = job.steps!.find(isPulumi)!;
            assert.equal(up.with?.command, "up");
            assert.match(String(up.with?.["stack-name"]), new RegExp(`'${stack}'`));
            assert.equal(up.with?.policyPacks, "policy");
            assert.equal(up.with?.upsert, true, `${stack}: the first run creates the stack (pulumi/actions does not otherwise)`);
            assert.equal(job.environment, stack);
            assert.ok(ancestors(wf, jobOf(stack)).has("checks"));
            for (const earlier of order.slice(0, i)) {
                assert.ok(ancestors(wf, jobOf(stack)).has(jobOf(earlier)), `${stack} waits for ${earlier}`);
            }
        }
        assert.deepEqual(Object.keys(wf.jobs).filter((j) => j.startsWith("deploy-")).sort(), order.map(jobOf).sort(), "a job for each stack file, no other");
    });

    it("deploy the same stacks, in the same order, as npm run deploy", () => {
        const ups = deployPlan({ yes: true }).commands.filter((c) => c[1] === "up").map((c) => c[3]);
        assert.deepEqual(ups, deployOrder().map((s) => s.stack));
        const wf = load("deploy.yml");
        const jobsInOrder = ups.map((stack) => `deploy-${stack}`);
        jobsInOrder.slice(1).forEach((job, i) => assert.ok(ancestors(wf, job).has(jobsInOrder[i])));
    });

    it("install the program and the policy pack before every pulumi step, on Node 22 (the Lambda runtime's major) with the npm cache", () => {
        for (const f of files()) {
            const wf = load(f);
            for (const [name, job] of pulumiJobs(wf)) {
                const pulumiAt = stepIndex(job, isPulumi);
                assert.ok(stepIndex(job, isRootInstall) >= 0 && stepIndex(job, isRootInstall) < pulumiAt, `${f} ${name}: npm ci before pulumi`);
                assert.ok(stepIndex(job, isPolicyInstall) >= 0 && stepIndex(job, isPolicyInstall) < pulumiAt, `${f} ${name}: npm ci in policy/ before pulumi`);
                const aws = stepIndex(job, (s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
                assert.ok(aws >= 0 && aws < pulumiAt, `${f} ${name}: AWS credentials before pulumi`);
                assert.equal(job.steps![pulumiAt].env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
                assert.match(String(job.steps![aws].with?.["role-to-assume"]), /^\$\{\{ (vars|secrets)\.[A-Z_]+ \}\}$/, "the role ARN comes from a variable or secret");
            }
            for (const [name, job] of Object.entries(wf.jobs)) {
                for (const s of (job.steps ?? []).filter((x) => x.uses?.startsWith("actions/setup-node@"))) {
                    assert.equal(String(s.with?.["node-version"]), "22", `${f} ${name}`);
                    assert.equal(s.with?.cache, "npm", `${f} ${name}`);
                }
            }
        }
    });

    it("grant minimal permissions: read-only by default, OIDC and PR comments only where needed", () => {
        for (const f of files()) {
            const wf = load(f);
            assert.deepEqual(wf.permissions, { contents: "read" }, `${f}: top-level permissions`);
            for (const [name, job] of Object.entries(wf.jobs)) {
                const perms = (typeof job.permissions === "object" ? job.permissions : {}) as Record<string, string>;
                assert.notEqual(job.permissions, "write-all", `${f} ${name}`);
                const usesAws = (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
                const comments = (job.steps ?? []).some((s) => s.with?.["comment-on-pr"] === true);
                assert.equal(perms["id-token"] === "write", usesAws, `${f} ${name}: id-token: write exactly when it assumes an AWS role`);
                assert.equal(perms["pull-requests"] === "write", comments, `${f} ${name}: pull-requests: write exactly when it comments`);
                for (const [scope, level] of Object.entries(perms)) {
                    assert.ok(["contents", "id-token", "pull-requests"].includes(scope) && (level === "write" ? scope !== "contents" : level === "read"), `${f} ${name}: ${scope}: ${level}`);
                }
            }
        }
    });

    it("pin every action to a major version, and never print or interpolate secrets in shell steps", () => {
        for (const f of files()) {
            const text = fs.readFileSync(path.join(DIR, f), "utf8");
            assert.ok(!/pull_request_target/.test(text), `${f}: pull_request_target runs untrusted code with secrets`);
            const wf = load(f);
            for (const [name, job] of Object.entries(wf.jobs)) {
                if (job.uses) assert.match(job.uses, /^\.\/\.github\/workflows\/[\w-]+\.ya?ml$/, `${f} ${name}: local reusable workflow`);
                for (const s of job.steps ?? []) {
                    if (s.uses) assert.match(s.uses, /^[\w.-]+\/[\w.-]+@v\d+$/, `${f} ${name}: ${s.uses} is pinned to a major version`);
                    if (s.run) {
                        assert.ok(!/secrets\./.test(s.run), `${f} ${name}: a run step interpolates a secret`);
                        // Credentials reach steps as environment variables: nothing may dump or echo them.
                        assert.ok(!/printenv|set -x|^\s*env\s*$|\$\{?(PULUMI_ACCESS_TOKEN|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|GITHUB_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN)/m.test(s.run), `${f} ${name}: a run step may print credentials: ${s.run}`);
                    }
                    for (const [k, v] of Object.entries(s.env ?? {})) {
                        if (/secrets\./.test(String(v))) assert.ok(isPulumi(s), `${f} ${name}: secret ${k} given to a step that is not pulumi`);
                    }
                }
            }
        }
    });
});
