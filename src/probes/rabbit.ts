/**
 * The RabbitMQ probe: publish a message and consume it back on a quorum
 * queue, connecting to the nodes in turn as oslo.messaging does with a
 * transport_url that lists every node: on any connection error the next
 * attempt goes to the next node.
 */
import amqp from "amqplib";
import type { Attempt } from "./scheduler.ts";

/** The probe's queue (replicated: a quorum queue, as kolla's master templates declare them). */
export const PROBE_QUEUE = "hacloud-probe";

interface Link {
  readonly conn: amqp.ChannelModel;
  readonly ch: amqp.ConfirmChannel;
}

/** One client of the cluster, reconnecting round-robin. */
export class RabbitProbe {
  private link: Link | undefined;
  private connecting: Promise<Link> | undefined;
  private next = 0;
  private readonly waiting = new Map<string, () => void>();

  constructor(
    private readonly urls: readonly string[],
    private readonly runId: string,
  ) {}

  private async connect(): Promise<Link> {
    const url = this.urls[this.next % this.urls.length]!;
    this.next++;
    // Heartbeats (5 s) notice a frozen or unplugged broker; oslo.messaging uses 60 s by default.
    const conn = await amqp.connect(url.includes("?") ? `${url}&heartbeat=5` : `${url}?heartbeat=5`, {
      timeout: 3_000,
    });
    const drop = (): void => {
      if (this.link?.conn === conn) this.link = undefined;
    };
    conn.on("error", drop);
    conn.on("close", drop);
    const ch = await conn.createConfirmChannel();
    ch.on("error", drop);
    ch.on("close", drop);
    try {
      await ch.assertQueue(PROBE_QUEUE, { durable: true, arguments: { "x-queue-type": "quorum" } });
    } catch {
      // A single-node broker or an old one: a classic queue still measures the round trip.
      const ch2 = await conn.createConfirmChannel();
      await ch2.assertQueue(`${PROBE_QUEUE}-classic`, { durable: false });
      return this.consume(conn, ch2, `${PROBE_QUEUE}-classic`);
    }
    return this.consume(conn, ch, PROBE_QUEUE);
  }

  private async consume(conn: amqp.ChannelModel, ch: amqp.ConfirmChannel, queue: string): Promise<Link> {
    await ch.consume(
      queue,
      (msg) => {
        if (msg === null) return;
        this.waiting.get(msg.content.toString())?.();
      },
      { noAck: true },
    );
    const link = { conn, ch, queue };
    this.link = link;
    return link;
  }

  private async ensure(): Promise<Link & { queue?: string }> {
    if (this.link) return this.link;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** One round trip: publish (confirmed by the broker), then wait until the consumer receives it. */
  async roundTrip(tick: number, signal: AbortSignal): Promise<Attempt> {
    const id = `${this.runId}:${tick}`;
    const received = new Promise<void>((resolve) => this.waiting.set(id, resolve));
    try {
      const link = (await this.ensure()) as Link & { queue: string };
      await new Promise<void>((resolve, reject) => {
        link.ch.sendToQueue(link.queue, Buffer.from(id), { persistent: true }, (err) =>
          err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
        );
        signal.addEventListener("abort", () => reject(new Error("timeout")), { once: true });
      });
      await new Promise<void>((resolve, reject) => {
        void received.then(resolve);
        signal.addEventListener("abort", () => reject(new Error("timeout")), { once: true });
      });
      return { ok: true };
    } catch (e) {
      // A broker that stops answering may never close the socket: drop it so the next attempt reconnects.
      if (signal.aborted) this.drop();
      throw e;
    } finally {
      this.waiting.delete(id);
    }
  }

  private drop(): void {
    const l = this.link;
    this.link = undefined;
    l?.conn.close().catch(() => undefined);
  }

  /** Closes the connection (the queue stays for the next run). */
  async close(): Promise<void> {
    const l = this.link;
    this.link = undefined;
    await l?.conn.close().catch(() => undefined);
  }
}
