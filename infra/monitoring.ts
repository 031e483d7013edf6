import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmTarget } from "./alarms";
import { dashboardBody, Watched } from "./dashboard";
import { adopted, CreateOrAdopt } from "./existing";
import { dashboardName } from "./naming";

export interface NewTopicArgs {
    kmsKeyArn: pulumi.Input<string>;
    /** Addresses subscribed by email; each confirms its subscription before it receives anything. */
    emails?: string[];
}

/** A topic made elsewhere (e.g. a Terraform foundation's), by ARN, in this stack's region. */
export interface ExistingTopic {
    arn: pulumi.Input<string>;
}

export interface MonitoringArgs {
    app: string;
    region: string;
    topic: CreateOrAdopt<ExistingTopic, NewTopicArgs>;
}

/**
 * What on-call sees: the alarm topic (encrypted with the region key, with email subscriptions; or an
 * adopted one), the wiring that makes every component's alarms notify it (`alarmTarget`), and one
 * dashboard of the region, made once the components exist (`addDashboard`). The alarms themselves
 * belong to the components that define them.
 */
export class Monitoring extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    readonly alarmTarget: AlarmTarget;
    private readonly app: string;
    private readonly region: string;
    private dashboard?: aws.cloudwatch.Dashboard;

    constructor(private readonly name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:operations:Monitoring", name, {}, opts);
        this.app = args.app;
        this.region = args.region;

        const existing = adopted(`Monitoring ${name}: topic`, args.topic);
        if (existing !== undefined) {
            this.topicArn = pulumi.output(existing.arn);
        } else {
            const create = args.topic as NewTopicArgs;
            const topic = new aws.sns.Topic(`${name}-alarms`, {
                name: `${args.app}-alarms`,
                displayName: `Tandem alarms (${args.region})`,
                kmsMasterKeyId: create.kmsKeyArn,
            }, { parent: this });
            this.topicArn = topic.arn;
            this.subscribe(topic, create.emails ?? []);
        }
        this.alarmTarget = {
            topicArn: this.topicArn,
            // Until components raised their own alarms, this component did, under their physical names.
            formerly: (physicalName) => [{ name: physicalName, parent: this }],
        };
    }

    /**
     * One subscription per address, named by the address: removing one address leaves the others
     * alone. They were once named by position (`-email-0`, ...); the alias carries each over the first
     * update, provided the list is not edited in that same update.
     */
    private subscribe(topic: aws.sns.Topic, emails: string[]): void {
        const seen = new Set<string>();
        emails.forEach((email, position) => {
            if (seen.has(email.toLowerCase())) {
                throw new Error(`Monitoring ${this.name}: ${email} is subscribed twice; list each address once`);
            }
            seen.add(email.toLowerCase());
            new aws.sns.TopicSubscription(`${this.name}-email-${email}`, {
                topic: topic.arn,
                protocol: "email",
                endpoint: email,
            }, { parent: this, aliases: [{ name: `${this.name}-email-${position}` }] });
        });
    }

    /** The region's dashboard: every watched component's alarms and panels. Returns its name. */
    addDashboard(watched: Watched[]): pulumi.Output<string> {
        if (this.dashboard) {
            throw new Error(`Monitoring ${this.name} already has its dashboard`);
        }
        this.dashboard = new aws.cloudwatch.Dashboard(this.name, {
            dashboardName: dashboardName(this.app, this.region),
            dashboardBody: dashboardBody(this.region, watched),
        }, { parent: this });
        this.registerOutputs({ topicArn: this.topicArn, dashboard: this.dashboard.dashboardName });
        return this.dashboard.dashboardName;
    }
}
