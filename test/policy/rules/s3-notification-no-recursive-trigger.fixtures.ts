import { edit, editJson } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const setNotification = (change: (f: any) => any) => edit(program(), "ingest-notification", (p) => ({ ...p, lambdaFunctions: (p.lambdaFunctions as any[]).map(change) }));
const setIngest = (sid: string, change: (s: any) => any) => editJson(program(), "ingest-policy", "policy", (d) => ({ ...d, Statement: d.Statement.map((s: any) => (s.Sid === sid ? change(s) : s)) }));

export const fixtures: RuleFixtures = {
    rule: "s3-notification-no-recursive-trigger",
    cases: [
        pass("notified on objects/, writes manifests/", program()),
        pass("a suffix filter the writes cannot match (documents .pdf, manifests .json)", editJson(
            setNotification((f) => ({ ...f, filterPrefix: undefined, filterSuffix: ".pdf" })), "ingest-policy", "policy",
            (d) => ({ ...d, Statement: d.Statement.map((s: any) => (s.Sid === "ReadWriteManifests" ? { ...s, Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/manifests/*.json" } : s)) }),
        )),
        fail("no filter: every object written triggers it, its manifests included", "ingest-notification", setNotification((f) => ({ ...f, filterPrefix: undefined }))),
        fail("notified on manifests/, where it writes", "ingest-notification", setNotification((f) => ({ ...f, filterPrefix: "manifests/" }))),
        fail("the role may write under objects/", "ingest-notification", setIngest("ReadWriteManifests", (s) => ({ ...s, Resource: "arn:aws:s3:::tandem-data-123456789012-us-east-1/*" }))),
        fail("the role may write to every bucket", "ingest-notification", setIngest("ReadWriteManifests", (s) => ({ ...s, Resource: "arn:aws:s3:::*/*" }))),
        fail("a wildcard action reaches PutObject", "ingest-notification", setIngest("ReadDocumentVersions", (s) => ({ ...s, Action: "s3:*Object" }))),
    ],
};
