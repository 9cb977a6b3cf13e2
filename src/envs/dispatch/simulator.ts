/**
 * The ride-pooling simulator: a fleet serving an episode's orders, decided every epoch.
 *
 * Timeline of an episode (times in seconds of the day, T0 = startHour·3600):
 *   reset → fleet idle at its initial nodes at T0, orders of [T0, T0 + epochs·dt) sampled;
 *   each epoch k: the fleet moves to T = T0 + (k+1)·dt, orders requested before T are pending,
 *   orders past their expiry (`deadline`: still unpicked, or still unassigned) are lost; then
 *   `candidates()` → a dispatcher's assignment → `assign(chosen)` inserts each chosen order into
 *   its vehicle's stop list;
 *   finish → pending orders are lost, the fleet drives on until every assigned order is delivered.
 */
import { Rng } from "../../core/rng.ts";
import type { Candidates } from "./candidates.ts";
import { sortPairsByVehicle } from "./candidates.ts";
import type { DispatchConfig } from "./config.ts";
import { EventLog, EventType } from "./event-log.ts";
import {
  advanceFleet,
  createDrivingTotals,
  type DrivingTotals,
  type PathOracle,
} from "./fleet-moves.ts";
import { bestInsertion, createInsertionResult } from "./insertion.ts";
import { allocateOrders, OrderStatus, type OrderTable } from "./orders.ts";
import { oneStepReward, pricedAddedTime } from "./reward.ts";
import {
  applyInsertion,
  createFleetSchedule,
  type FleetSchedule,
  PICKUP,
  type TravelTime,
} from "./schedule.ts";

/** The orders an episode can draw from, already placed on road nodes. */
export interface EpisodeDemand {
  /** Request times, seconds of the day, ascending. */
  requestTime: Float64Array;
  pickupNode: Int32Array;
  dropoffNode: Int32Array;
}

/** What the simulator needs from the world: a travel-time oracle per hour and the demand. */
export interface DispatchWorld {
  nodeCount: number;
  /** Oracle for the given local hour (0..23) of the configured day type. */
  oracleAt(hour: number): PathOracle;
  /**
   * Orders requested in [from, to) seconds of the day, a seeded share `fraction` of them (the
   * episode's config decides it, not the world's: one world serves training and evaluation).
   */
  demand(from: number, to: number, fraction: number, rng: Rng): EpisodeDemand;
  /**
   * Nodes to draw demand-weighted initial vehicle positions from (one entry per trip of the
   * whole day, so frequent pickup nodes come up more often) — not the episode's own orders,
   * which would place vehicles exactly where riders are about to appear.
   */
  pickupNodesOfDay: Int32Array;
  /** Road nodes of each zone that has any (`initialPositions: "zones"`); empty: no zones. */
  zoneNodes: readonly Int32Array[];
  /**
   * Nodes to draw `initialPositions: "recent-dropoffs"` from: drop-off nodes of trips that ended
   * in the hour before `time` (seconds of the day), so the start knows nothing of the window.
   */
  dropoffNodesBefore(time: number): Int32Array;
}

/** Candidate (vehicle, pending-order slot) pairs before the insertion check, in check order. */
interface RawPairs {
  vehicle: Int32Array;
  slot: Int32Array;
  count: number;
}

/**
 * Which pairs to keep so that each vehicle has at most its k nearest (by eta, ties by slot).
 *
 * @example
 * // vehicle 0 has pairs 0..2 with etas 30, 10, 20: k = 2 keeps pairs 1 and 2
 * nearestPerVehicle(1, Int32Array.of(0, 0, 0), Int32Array.of(0, 1, 2), Float64Array.of(30, 10, 20), 3, 2);
 */
export function nearestPerVehicle(
  vehicles: number,
  vehicle: Int32Array,
  slot: Int32Array,
  eta: Float64Array,
  count: number,
  k: number,
): Uint8Array {
  const keep = new Uint8Array(count);
  const { rowPtr, order } = sortPairsByVehicle(vehicles, vehicle, count);
  for (let v = 0; v < vehicles; v++) {
    const row = order.subarray(rowPtr[v], rowPtr[v + 1]);
    if (row.length <= k) {
      for (const p of row) keep[p] = 1;
      continue;
    }
    const sorted = Array.from(row).sort((a, b) => eta[a] - eta[b] || slot[a] - slot[b]);
    for (let i = 0; i < k; i++) keep[sorted[i]] = 1;
  }
  return keep;
}

/** How long the fleet may drive on after the last epoch to deliver what it carries. */
const MAX_DRAIN_S = 4 * 3600;

export class DispatchSimulator {
  readonly config: DispatchConfig;
  readonly world: DispatchWorld;
  orders: OrderTable = allocateOrders(0);
  fleet: FleetSchedule;
  totals: DrivingTotals;
  log = new EventLog();
  /** Cumulative one-step reward per vehicle (its "income"). */
  income: Float64Array;
  /** Episode reward, undiscounted and discounted (γ per minute since T0). */
  reward = 0;
  discountedReward = 0;
  /** Number of epochs decided so far. */
  epoch = 0;
  /** Current simulation time, seconds of the day. */
  now = 0;
  /** Orders lost because they were still pending when the episode ended. */
  pendingAtEnd = 0;
  private nextRelease = 0;
  private pending: number[] = [];
  private exploration = new Rng(0);

  constructor(world: DispatchWorld, config: DispatchConfig) {
    this.world = world;
    this.config = config;
    this.fleet = createFleetSchedule(config.vehicles, config.capacity);
    this.totals = createDrivingTotals(config.vehicles, 0);
    this.income = new Float64Array(config.vehicles);
  }

  get startTime(): number {
    return Math.round(this.config.startHour * 3600);
  }

  get endTime(): number {
    return this.startTime + this.config.epochs * this.config.dt;
  }

  get done(): boolean {
    return this.epoch >= this.config.epochs;
  }

  /** The stream dispatchers draw from (exploration, random tie-breaks), reseeded by reset. */
  get rng(): Rng {
    return this.exploration;
  }

  /**
   * The oracle for the current hour. After the demand window (while the fleet delivers what it
   * carries) the window's last hour stays in force, as a trip keeps the profile it started in.
   */
  oracle(): PathOracle {
    const t = Math.min(this.now, this.endTime - 1);
    return this.world.oracleAt(Math.floor(t / 3600) % 24);
  }

  /** Start a new episode; the same seed gives the same episode. */
  reset(seed: number): void {
    const { config } = this;
    const root = new Rng(seed);
    this.exploration = root.split("exploration");
    this.now = this.startTime;
    this.epoch = 0;
    this.reward = 0;
    this.discountedReward = 0;
    this.pendingAtEnd = 0;
    this.nextRelease = 0;
    this.pending = [];
    this.log = new EventLog();
    this.income = new Float64Array(config.vehicles);
    this.totals = createDrivingTotals(config.vehicles, this.now);
    this.fleet = createFleetSchedule(config.vehicles, config.capacity);

    const demand = this.world.demand(
      this.startTime,
      this.endTime,
      config.sampleFraction,
      root.split("demand"),
    );
    this.orders = this.buildOrders(demand);
    this.placeFleet(root.split("fleet"));
  }

  private buildOrders(d: EpisodeDemand): OrderTable {
    const { maxWait, maxPickupEta } = this.config;
    // With an assignment deadline the pickup may come up to maxPickupEta after the last moment
    // the order could be assigned.
    const pickupSlack = this.config.deadline === "assignment" ? maxWait + maxPickupEta : maxWait;
    const n = d.requestTime.length;
    const orders = allocateOrders(n);
    for (let o = 0; o < n; o++) {
      const t = d.requestTime[o];
      orders.requestTime[o] = t;
      orders.pickupNode[o] = d.pickupNode[o];
      orders.dropoffNode[o] = d.dropoffNode[o];
      orders.pickupDeadline[o] = t + pickupSlack;
    }
    return orders;
  }

  /**
   * An order's direct trip, by the profile of the hour it is requested in; filled when it is
   * released, so an episode needs only the tables of the hours it has reached (a full day kept
   * all 24 alive from its reset on).
   */
  private fillTrip(o: number): void {
    const { orders } = this;
    const oracle = this.world.oracleAt(Math.floor(orders.requestTime[o] / 3600) % 24);
    const pu = orders.pickupNode[o];
    const dr = orders.dropoffNode[o];
    orders.directTime[o] = pu === dr ? 0 : oracle.time(pu, dr);
    orders.directDistance[o] = pu === dr ? 0 : oracle.distance(pu, dr);
    orders.maxRideTime[o] = orders.directTime[o] + this.config.maxDetour;
  }

  /** Initial nodes of the fleet, as `initialPositions` says (uniform nodes where a pool is empty). */
  private placeFleet(rng: Rng): void {
    const { fleet, world } = this;
    const mode = this.config.initialPositions;
    const pool =
      mode === "demand"
        ? world.pickupNodesOfDay
        : mode === "recent-dropoffs"
          ? world.dropoffNodesBefore(this.startTime)
          : null;
    const zones = mode === "zones" ? world.zoneNodes : [];
    for (let v = 0; v < fleet.vehicles; v++) {
      if (pool !== null && pool.length > 0) {
        fleet.startNode[v] = pool[rng.int(pool.length)];
      } else if (zones.length > 0) {
        const nodes = zones[rng.int(zones.length)];
        fleet.startNode[v] = nodes[rng.int(nodes.length)];
      } else {
        fleet.startNode[v] = rng.int(world.nodeCount);
      }
      fleet.startTime[v] = this.now;
    }
  }

  /**
   * The time after which a still-pending order is lost: its pickup deadline (`deadline:
   * "pickup"`), or maxWait after its request (`"assignment"`).
   */
  private expiry(o: number): number {
    const { orders, config } = this;
    return config.deadline === "assignment"
      ? orders.requestTime[o] + config.maxWait
      : orders.pickupDeadline[o];
  }

  /**
   * Can vehicle v take one more order? It needs two free stop slots, and with `availability:
   * "no-pending-pickup"` no pickup still to make (OSPO's vehicle is busy from assignment to
   * pickup). Capacity along the route is the insertion's check.
   */
  isAvailable(v: number): boolean {
    const { fleet } = this;
    const stops = fleet.stopCount[v];
    if (stops + 2 > fleet.maxStops) return false;
    if (this.config.availability === "free-seat") return true;
    const base = v * fleet.maxStops;
    for (let k = 0; k < stops; k++) if (fleet.stopKind[base + k] === PICKUP) return false;
    return true;
  }

  /**
   * Move the fleet to the next decision time and update the pending orders: release the newly
   * requested, drop (as lost) those past their expiry (see `expiry`).
   */
  advance(): void {
    this.moveFleet();
    const until = this.now;
    const { orders } = this;
    // Releases come in request order, so `pending` stays sorted by request time.
    while (this.nextRelease < orders.count && orders.requestTime[this.nextRelease] < until) {
      const o = this.nextRelease++;
      this.fillTrip(o);
      orders.status[o] = OrderStatus.Pending;
      this.log.add(orders.requestTime[o], EventType.Request, o);
      this.pending.push(o);
    }
    this.pending = this.pending.filter((o) => {
      const expiry = this.expiry(o);
      if (expiry >= until) return true;
      this.loseOrder(o, expiry);
      return false;
    });
  }

  /** Drive the fleet for one epoch (dt seconds). */
  private moveFleet(): void {
    const until = this.now + this.config.dt;
    advanceFleet(
      this.fleet,
      this.orders,
      this.oracle(),
      until,
      this.totals,
      this.endTime,
      this.onStop,
    );
    this.now = until;
  }

  private loseOrder(o: number, time: number): void {
    this.orders.status[o] = OrderStatus.Lost;
    this.log.add(time, EventType.Lost, o);
  }

  private onStop = (vehicle: number, order: number, kind: number, time: number): void => {
    const { orders } = this;
    if (kind === PICKUP) {
      orders.status[order] = OrderStatus.OnBoard;
      this.log.add(time, EventType.Pickup, order, vehicle);
    } else {
      orders.status[order] = OrderStatus.Delivered;
      orders.dropoffTime[order] = time;
      this.log.add(time, EventType.Dropoff, order, vehicle);
    }
  };

  /** Pending orders at the current decision time, in request order. */
  pendingOrders(): readonly number[] {
    return this.pending;
  }

  /**
   * Candidate pairs for this decision, each feasible for insertion into its vehicle's stop list:
   * `candidates: "nearest-vehicles"` takes for each pending order the `candidatesPerOrder`
   * available vehicles that reach its pickup soonest; `"all"` takes every available vehicle ×
   * every pending order (each vehicle's `ordersPerVehicle` nearest if set). Either way the pickup
   * ETA bound is min(maxPickupEta, pickup deadline − now), and the ETA that selects is the
   * vehicle's time to the pickup ignoring its other stops (from the travel-time tables).
   */
  candidates(): Candidates {
    const raw = this.config.candidates === "all" ? this.allPairs() : this.nearestVehiclePairs();
    return this.evaluatePairs(raw);
  }

  /** The raw ETA (ignoring other stops) of vehicle v to a pickup, given the pickup's column. */
  private rawEta(v: number, toPickup: ArrayLike<number>): number {
    const { fleet } = this;
    return fleet.startTime[v] - this.now + toPickup[fleet.startNode[v]];
  }

  private pickupBound(o: number): number {
    return Math.min(this.config.maxPickupEta, this.orders.pickupDeadline[o] - this.now);
  }

  /** Per pending order (slot order), its k nearest available vehicles in (eta, id) order. */
  private nearestVehiclePairs(): RawPairs {
    const { orders, config } = this;
    const oracle = this.oracle();
    const pending = this.pending;
    const k = config.candidatesPerOrder;
    const vehicle = new Int32Array(pending.length * k);
    const slotOf = new Int32Array(pending.length * k);
    const available = this.availableVehicles();
    // The k nearest vehicles of the current order, kept sorted by (eta, vehicle id).
    const nearVehicle = new Int32Array(k);
    const nearEta = new Float64Array(k);
    let count = 0;
    for (let slot = 0; slot < pending.length; slot++) {
      const o = pending[slot];
      const toPickup = oracle.timesTo(orders.pickupNode[o]);
      const bound = this.pickupBound(o);
      let near = 0;
      for (const v of available) {
        const e = this.rawEta(v, toPickup);
        if (e > bound || (near === k && e >= nearEta[k - 1])) continue;
        // Insertion into the sorted top-k; vehicles come in id order, so ties stay by id.
        let i = near < k ? near++ : k - 1;
        for (; i > 0 && nearEta[i - 1] > e; i--) {
          nearEta[i] = nearEta[i - 1];
          nearVehicle[i] = nearVehicle[i - 1];
        }
        nearEta[i] = e;
        nearVehicle[i] = v;
      }
      for (let n = 0; n < near; n++) {
        vehicle[count] = nearVehicle[n];
        slotOf[count++] = slot;
      }
    }
    return { vehicle, slot: slotOf, count };
  }

  /**
   * Every available vehicle × every pending order within the ETA bound (slot-major, vehicles in
   * id order); with `ordersPerVehicle` = k > 0 each vehicle keeps only its k nearest orders
   * (ties by request order).
   */
  private allPairs(): RawPairs {
    const { orders, config } = this;
    const oracle = this.oracle();
    const pending = this.pending;
    const available = this.availableVehicles();
    const max = pending.length * available.length;
    const vehicle = new Int32Array(max);
    const slotOf = new Int32Array(max);
    const eta = new Float64Array(max);
    let count = 0;
    for (let slot = 0; slot < pending.length; slot++) {
      const o = pending[slot];
      const toPickup = oracle.timesTo(orders.pickupNode[o]);
      const bound = this.pickupBound(o);
      for (const v of available) {
        const e = this.rawEta(v, toPickup);
        if (e > bound) continue;
        vehicle[count] = v;
        slotOf[count] = slot;
        eta[count++] = e;
      }
    }
    const k = config.ordersPerVehicle;
    if (k === 0) return { vehicle, slot: slotOf, count };
    const keep = nearestPerVehicle(this.fleet.vehicles, vehicle, slotOf, eta, count, k);
    let kept = 0;
    for (let p = 0; p < count; p++) {
      if (!keep[p]) continue;
      vehicle[kept] = vehicle[p];
      slotOf[kept++] = slotOf[p];
    }
    return { vehicle, slot: slotOf, count: kept };
  }

  private availableVehicles(): Int32Array {
    const ids: number[] = [];
    for (let v = 0; v < this.fleet.vehicles; v++) if (this.isAvailable(v)) ids.push(v);
    return Int32Array.from(ids);
  }

  /** Insertion, ETA and reward of each raw pair; infeasible ones dropped; CSR by vehicle. */
  private evaluatePairs(raw: RawPairs): Candidates {
    const { fleet, orders, config, now } = this;
    const oracle = this.oracle();
    const tt: TravelTime = (a, b) => oracle.time(a, b);
    const pending = this.pending;
    const n = raw.count;
    const pv = new Int32Array(n);
    const ps = new Int32Array(n);
    const eta = new Float64Array(n);
    const addedRoute = new Float64Array(n);
    const added = new Float64Array(n);
    const late = new Int32Array(n);
    const reward = new Float64Array(n);
    const priced = new Float64Array(n);
    const pickupPos = new Int32Array(n);
    const dropoffPos = new Int32Array(n);
    const res = createInsertionResult();
    let count = 0;
    for (let p = 0; p < n; p++) {
      const v = raw.vehicle[p];
      const slot = raw.slot[p];
      const o = pending[slot];
      bestInsertion(fleet, v, orders, o, tt, res, config.reward.lateAfterS);
      if (!res.feasible) continue;
      const pickupEta = res.pickupEta - now;
      pv[count] = v;
      ps[count] = slot;
      eta[count] = pickupEta;
      addedRoute[count] = res.addedRouteTime;
      added[count] = res.addedPassengerTime;
      late[count] = res.nLate;
      pickupPos[count] = res.pickupIndex;
      dropoffPos[count] = res.dropoffIndex;
      const outcome = {
        directDistanceM: orders.directDistance[o],
        pickupTimeS: pickupEta,
        lateOrders: res.nLate,
        addedTimeS: res.addedPassengerTime,
        newTripS: res.dropoffEta - now,
      };
      reward[count] = oneStepReward(config.reward, outcome);
      priced[count] = pricedAddedTime(config.reward, outcome);
      count++;
    }
    const { rowPtr, order } = sortPairsByVehicle(fleet.vehicles, pv, count);
    const pick = <T extends Int32Array | Float64Array>(a: T): T => {
      const out = new (a.constructor as new (n: number) => T)(count);
      for (let i = 0; i < count; i++) out[i] = a[order[i]];
      return out;
    };
    return {
      time: now,
      vehicleCount: fleet.vehicles,
      orderCount: pending.length,
      orderIds: Int32Array.from(pending),
      pairCount: count,
      rowPtr,
      pairVehicle: pick(pv),
      pairSlot: pick(ps),
      eta: pick(eta),
      addedRouteTime: pick(addedRoute),
      addedTime: pick(added),
      lateOrders: pick(late),
      reward: pick(reward),
      pricedAddedTime: pick(priced),
      pickupPos: pick(pickupPos),
      dropoffPos: pick(dropoffPos),
    };
  }

  /**
   * Apply a conflict-free choice of candidate pairs (at most one per vehicle and per order):
   * insert each order into its vehicle's stop list. Returns each vehicle's reward this epoch
   * (0 for unmatched vehicles) and ends the epoch.
   */
  assign(c: Candidates, chosen: Int32Array): Float64Array {
    const { fleet, orders, now } = this;
    const oracle = this.oracle();
    const tt: TravelTime = (a, b) => oracle.time(a, b);
    const rewards = new Float64Array(fleet.vehicles);
    const vehicleUsed = new Uint8Array(fleet.vehicles);
    const discount = this.config.discount ** ((now - this.startTime) / 60);
    for (const p of chosen) {
      const v = c.pairVehicle[p];
      const o = c.orderIds[c.pairSlot[p]];
      if (vehicleUsed[v] || orders.status[o] !== OrderStatus.Pending) {
        throw new Error(`assign: pair ${p} reuses vehicle ${v} or order ${o} in one epoch`);
      }
      vehicleUsed[v] = 1;
      applyInsertion(fleet, v, orders, o, c.pickupPos[p], c.dropoffPos[p], tt);
      orders.status[o] = OrderStatus.Assigned;
      orders.vehicle[o] = v;
      orders.assignTime[o] = now;
      this.log.add(now, EventType.Assign, o, v);
      rewards[v] = c.reward[p];
      this.income[v] += c.reward[p];
      this.reward += c.reward[p];
      this.discountedReward += discount * c.reward[p];
    }
    this.pending = this.pending.filter((o) => orders.status[o] === OrderStatus.Pending);
    this.snapshot();
    this.epoch++;
    return rewards;
  }

  /** End the episode: pending orders are lost; the fleet delivers everything it was assigned. */
  finish(): void {
    for (const o of this.pending) this.loseOrder(o, this.now);
    this.pendingAtEnd = this.pending.length;
    this.pending = [];
    const { fleet } = this;
    const deadline = this.now + MAX_DRAIN_S;
    const busy = () => fleet.stopCount.some((n) => n > 0);
    while (busy() && this.now < deadline) this.moveFleet();
    if (busy())
      throw new Error("finish: the fleet did not deliver every order within the drain limit");
  }

  private snapshot(): void {
    const { fleet } = this;
    this.log.snapshots.push({
      time: this.now,
      node: Array.from(fleet.startNode),
      at: Array.from(fleet.startTime),
      onboard: Array.from(fleet.onboard),
    });
  }
}
