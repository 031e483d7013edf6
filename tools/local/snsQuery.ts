// SNS on moto through its Query API: this project has no SNS client among its dependencies, and the
// local run needs two calls (CreateTopic, Subscribe) plus a read-back for the emulator test. moto
// picks the service and region of a request from the credential scope of its Authorization header
// (moto/moto_server/werkzeug_app.py, DomainDispatcherApplication.infer_service_region_host) and does
// not verify signatures unless IAM auth is switched on (moto/core/authorization.py:
// INITIAL_NO_AUTH_ACTION_COUNT defaults to infinity), so the header carries the scope only.
import { TEST_CREDENTIALS } from "./moto";
import { xmlText } from "./xml";

/** Calls an SNS action; resolves to the response's XML. */
export async function snsCall(endpoint: string, region: string, action: string, params: Record<string, string>): Promise<string> {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    const response = await fetch(`${endpoint}/`, {
        method: "POST",
        headers: {
            "content-type": "application/x-www-form-urlencoded; charset=utf-8",
            authorization: `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/${day}/${region}/sns/aws4_request, SignedHeaders=host, Signature=unchecked`,
        },
        body: new URLSearchParams({ Action: action, Version: "2010-03-31", ...params }),
    });
    const xml = await response.text();
    if (!response.ok) {
        const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? `HTTP ${response.status}`;
        const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? "";
        throw new Error(`SNS ${action} failed: ${code} ${xmlText(message)}`.trim());
    }
    return xml;
}
