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
      .describe("an order unpicked this long after request is lost (s)"),
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
    candidatesPerOrder: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(20)
      .describe("nearest vehicles considered per order"),
    sampleFraction: z
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe("seeded share of the trips kept per episode"),
    initialPositions: z
      .enum(["demand", "uniform"])
      .default("demand")
      .describe("vehicles start on pickup nodes of the day's demand, or uniform over nodes"),
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
