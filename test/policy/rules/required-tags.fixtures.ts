import { edit } from "../harness/dsl";
import { fail, pass, RuleFixtures } from "../harness/fixtures";
import { program } from "../harness/scaffold";

const withoutDefaultTag = (tag: string) => edit(program(), "home", (p) => {
    const d = JSON.parse(p.defaultTags as string);
    delete d.tags[tag];
    return { ...p, defaultTags: JSON.stringify(d) };
});

export const fixtures: RuleFixtures = {
    rule: "required-tags",
    cases: [
        pass("every resource inherits the provider's default tags", program()),
        pass("a missing tag given on the resource itself", edit(withoutDefaultTag("owner").filter((r) => ["home", "key"].includes(r.name)), "key", (p) => ({ ...p, tags: { owner: "platform-team" } }))),
        fail("cost-center dropped from the default tags", "data", withoutDefaultTag("cost-center")),
        fail("an empty owner on the resource overrides the default", "alarms", edit(program(), "alarms", (p) => ({ ...p, tags: { owner: " " } }))),
        fail("role missing: the stack's role cannot be told", "api", withoutDefaultTag("role")),
    ],
};
