/**
 * What happened in an episode, for replays and for checking metrics: timed events (request,
 * assignment, pickup, drop-off, loss) and a snapshot of every vehicle per epoch.
 */
export const EventType = { Request: 0, Assign: 1, Pickup: 2, Dropoff: 3, Lost: 4 } as const;
export type EventTypeCode = (typeof EventType)[keyof typeof EventType];
export const EVENT_NAMES = ["request", "assign", "pickup", "dropoff", "lost"] as const;

export interface VehicleSnapshot {
  /** Seconds of the day. */
  time: number;
  /** Per vehicle: the node it is at, or the next node it reaches on its route. */
  node: number[];
  /** Per vehicle: when it is at that node (≥ time while moving), seconds of the day. */
  at: number[];
  onboard: number[];
}

export class EventLog {
  readonly time: number[] = [];
  readonly type: EventTypeCode[] = [];
  readonly order: number[] = [];
  readonly vehicle: number[] = [];
  readonly snapshots: VehicleSnapshot[] = [];

  add(time: number, type: EventTypeCode, order: number, vehicle = -1): void {
    this.time.push(time);
    this.type.push(type);
    this.order.push(order);
    this.vehicle.push(vehicle);
  }

  count(type: EventTypeCode): number {
    let n = 0;
    for (const t of this.type) if (t === type) n++;
    return n;
  }

  /** A plain object for JSON files (column arrays keep it compact). */
  toJSON(): object {
    return {
      eventTypes: EVENT_NAMES,
      events: { time: this.time, type: this.type, order: this.order, vehicle: this.vehicle },
      snapshots: this.snapshots,
    };
  }
}
