// iam-standby-api-read-only: on a standby, the function that answers clients cannot write.
import { PolicyResource } from "@pulumi/policy";
import { label } from "../../lib/graph";
import { expandAction, IamAction, sample, serviceActions } from "../../lib/iamActions";
import { roleGrants, roleOf, statementsOf } from "../../lib/identity";
import { functionUrls } from "../../lib/lambda";
import { stackRule } from "../../lib/rule";
import { isStandby, ROLE_SCHEMA, RoleSettings } from "../../lib/stackRole";
import { T } from "../../lib/types";

interface Settings extends RoleSettings {
    services: string[];
    readOnlyPolicyPattern: string;
}

const WRITE_LEVELS = ["Write", "Permissions management", "Tagging"];

export const policy = stackRule<Settings>({
    name: "iam-standby-api-read-only",
    pillar: "reliability",
    description: "On a standby stack (role tag), the role of every function behind a Function URL (the api) grants no write, tagging or permissions-management action on the data services (S3).",
    rationale: "A standby serves reads from replicas; a write there forks the data (replication runs one way) and is lost or conflicts at failback. The api refuses writes in code, and the README promises IAM backs that refusal: this rule checks the promise from the stack's role tag and the api role's statements.",
    anchors: ["Well-Architected REL10-BP01", "Well-Architected SEC03-BP02", "IAM Access Analyzer CheckAccessNotGranted"],
    satisfy: "Grant the api only s3:ListBucket and s3:GetObject when tandem:role is standby (DocumentApi adds WriteDocuments on a primary only); attach no managed policy that writes.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            ...ROLE_SCHEMA,
            services: { type: "array", items: { type: "string" }, default: ["s3"], description: "Services whose write actions the standby api must not have." },
            readOnlyPolicyPattern: { type: "string", default: "ReadOnly", description: "Attached managed policies (not in the stack) are accepted when their name matches this regular expression." },
        },
    },
}, {
    check: ({ graph, each, report, config }) => {
        const apis = graph.ofType(T.function).filter((fn) => functionUrls(graph, fn).length > 0 && isStandby(fn, config));
        each(apis, (fn: PolicyResource) => {
            for (const role of roleOf(graph, fn, "role")) {
                const grants = roleGrants(graph, role);
                for (const d of grants.documents) {
                    for (const s of statementsOf(d).statements.filter((x) => x.effect === "Allow")) {
                        const granted: IamAction[] = s.notActions
                            ? config.services.flatMap((svc) => serviceActions(svc)).filter((a) => !s.notActions!.some((p) => expandAction(p).actions.includes(a)))
                            : (s.actions ?? []).flatMap((p) => {
                                const g = expandAction(p);
                                return g.allServices ? config.services.flatMap((svc) => serviceActions(svc)) : g.actions;
                            });
                        const writes = [...new Map(granted.filter((a) => config.services.includes(a.service) && a.levels.some((l) => WRITE_LEVELS.includes(l))).map((a) => [a.id, a])).values()];
                        if (writes.length > 0) {
                            report(d.source, `${label(fn)} answers clients on a standby stack, but statement ${s.sid} of ${d.where} lets it ${sample(writes)}: a standby's api must not write.`);
                        }
                    }
                }
                const readOnly = new RegExp(config.readOnlyPolicyPattern);
                for (const arn of grants.externalPolicyArns.filter((a) => !readOnly.test(a))) {
                    report(role, `${label(fn)} answers clients on a standby stack, and ${label(role)} has the managed policy ${arn} attached, whose writes the pack cannot rule out.`);
                }
            }
        });
    },
});
