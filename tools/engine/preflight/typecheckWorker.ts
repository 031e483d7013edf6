// The type check of one project, in a process of its own (./typecheck.ts typeCheckInChild): prints the
// result as JSON on stdout. Usage: typecheckWorker.ts <project folder>
import { loadProject } from "./project";
import { typeCheck } from "./typecheck";

const root = process.argv[2];
const { project, problems } = loadProject(root);
if (project === undefined) {
    throw new Error(`no project in ${root}: ${problems.map((p) => p.message).join("; ")}`);
}
process.stdout.write(JSON.stringify(typeCheck(root, project)));
