/**
 * Every knob of the dispatch environment, with its default and allowed range in one schema
 * (the same schema validates config files and drives `--help` defaults).
 * Defaults: scenario "manhattan-peak" (DESIGN §4) and OSPO's published reward (DESIGN §2).
 */
import { z } from "zod";

export const RewardSchema = z
  .object({
    base: z.number().default(3).describe("reward for each matched order"),
    perKm: z.number().default(1).describe("per km of the order's direct trip distance"),
    perPickupHour: z.number().default(-3).describe("per hour of pickup travel time"),
    perLateOrder: z
      .number()
      .default(-1)
      .describe("per onboard order whose trip time exceeds lateAfterS"),
    perAddedHour: z
      .number()
      .default(-3)
      .describe("per hour added to the summed trip times on board"),
    addedTime: z
      .enum(["onboard", "with-new-trip"])
      .default("onboard")
      .describe(
        "added time counts the delay to the orders already scheduled (onboard), or also the new order's own pickup wait and ride (with-new-trip, OSPO's rule)",
      ),
    perExcessAddedHour: z
      .number()
      .default(-5)
      .describe("per hour of added time beyond excessAfterS"),
    lateAfterS: z
      .number()
      .positive()
      .default(2400)
      .describe("an order is late beyond this trip time (s)"),
    excessAfterS: z
      .number()
      .positive()
      .default(2400)
      .describe("added time beyond this is penalised again (s)"),
  })
  .strict();

export const DispatchConfigSchema = z
  .object({
    vehicles: z.number().int().min(1).max(100_000).default(1000).describe("fleet size"),
    capacity: z.number().int().min(1).max(8).default(3).describe("seats per vehicle"),
    startHour: z.number().min(0).max(23.99).default(0).describe("local hour the episode starts at"),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD")
      .default("2013-09-01")
      .describe("date of the demand to replay"),
    day: z
      .enum(["auto", "weekday", "saturday", "sunday"])
      .default("auto")
      .describe("travel-time profile; auto = the demand date's day of week"),
    epochs: z.number().int().min(1).max(1440).default(30).describe("decision epochs per episode"),
    dt: z.number().int().min(10).max(3600).default(60).describe("seconds between decision epochs"),
    maxWait: z
      .number()
      .min(0)
      .max(7200)
      .default(300)
      .describe(
        "an order is lost this long after its request (s), unpicked or unassigned (deadline)",
      ),
    deadline: z
      .enum(["pickup", "assignment"])
      .default("pickup")
      .describe(
        "pickup: lost unless picked up within maxWait; assignment: lost only if still unassigned after maxWait, its pickup then takes up to maxPickupEta (OSPO's rule)",
      ),
    maxDetour: z
      .number()
      .min(0)
      .max(7200)
      .default(600)
      .describe("max in-vehicle time beyond the direct trip (s)"),
    maxPickupEta: z
      .number()
      .min(0)
      .max(7200)
      .default(300)
      .describe("candidate pairs need a pickup ETA within this (s)"),
    candidates: z
      .enum(["nearest-vehicles", "all"])
      .default("nearest-vehicles")
      .describe(
        "nearest-vehicles: the candidatesPerOrder vehicles that reach each order soonest; all: every available vehicle × every pending order (OSPO's rule)",
      ),
    candidatesPerOrder: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(20)
      .describe("nearest vehicles considered per order (candidates: nearest-vehicles)"),
    ordersPerVehicle: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(0)
      .describe(
        "with candidates: all, keep each vehicle's k nearest pending orders (0 = every one)",
      ),
    availability: z
      .enum(["free-seat", "no-pending-pickup"])
      .default("free-seat")
      .describe(
        "which vehicles take new orders: any with a free seat, or only those with no pickup still to make (OSPO's rule)",
      ),
    sampleFraction: z
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe("seeded share of the trips kept per episode"),
    evalSampleFraction: z
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe("seeded share of the trips kept in evaluation episodes (training: sampleFraction)"),
    initialPositions: z
      .enum(["recent-dropoffs", "zones", "uniform", "demand"])
      .default("recent-dropoffs")
      .describe(
        "where the fleet starts: drop-off nodes of trips that ended in the hour before the window (recent-dropoffs), uniform over zones then nodes (zones, OSPO's rule), uniform over nodes, or pickup nodes of the whole day's trips (demand)",
      ),
    reward: RewardSchema.default(RewardSchema.parse({})),
    discount: z
      .number()
      .gt(0)
      .max(1)
      .default(0.99)
      .describe("per-minute discount for the discounted episode reward"),
  })
  .strict();

export type DispatchConfig = z.output<typeof DispatchConfigSchema>;
export type RewardConfig = z.output<typeof RewardSchema>;

export function defaultDispatchConfig(): DispatchConfig {
  return DispatchConfigSchema.parse({});
}
