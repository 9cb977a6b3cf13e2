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

/**
 * events.json of a simulate run: the episode's orders and its event log. Written by
 * `eventsFile`, validated by the reports (reports/run-files.ts), replayed by the dashboard's
 * browser app (dashboard/src/replay-data.ts, which imports this type).
 */
export interface EventsFile {
  /** Seconds of the day of the episode's first decision window. */
  startTime: number;
  orders: { requestTime: number[]; pickupNode: number[]; dropoffNode: number[] };
  /** Names of the event type codes (index = code). */
  eventTypes: string[];
  events: { time: number[]; type: number[]; order: number[]; vehicle: number[] };
  snapshots: VehicleSnapshot[];
}

/** The events.json of an episode. */
export function eventsFile(
  startTime: number,
  orders: {
    requestTime: ArrayLike<number>;
    pickupNode: ArrayLike<number>;
    dropoffNode: ArrayLike<number>;
  },
  log: EventLog,
): EventsFile {
  return {
    startTime,
    orders: {
      requestTime: Array.from(orders.requestTime),
      pickupNode: Array.from(orders.pickupNode),
      dropoffNode: Array.from(orders.dropoffNode),
    },
    ...log.toJSON(),
  };
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
  toJSON(): Pick<EventsFile, "eventTypes" | "events" | "snapshots"> {
    return {
      eventTypes: [...EVENT_NAMES],
      events: { time: this.time, type: this.type, order: this.order, vehicle: this.vehicle },
      snapshots: this.snapshots,
    };
  }
}
