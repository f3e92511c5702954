import Foundation
import Testing
@testable import PacelineCore

/// Spot checks from J. Daniels, *Daniels' Running Formula* (3rd ed., Human Kinetics 2014),
/// Table 5.1 (VDOT values associated with times raced over popular distances) and Table 5.2
/// (training intensities by VDOT). Times in seconds, paces in seconds per km.
struct DanielsTables {
    struct RaceRow: Sendable, CustomStringConvertible {
        let vdot: Double
        let meters: Double
        let seconds: Double
        var description: String { "VDOT \(vdot) \(meters) m" }
    }

    static func t(_ h: Double, _ m: Double, _ s: Double) -> Double { h * 3600 + m * 60 + s }

    static let races: [RaceRow] = [
        .init(vdot: 30, meters: 5000, seconds: t(0, 30, 40)), .init(vdot: 30, meters: 10_000, seconds: t(1, 3, 46)),
        .init(vdot: 30, meters: 21_097.5, seconds: t(2, 21, 4)), .init(vdot: 30, meters: 42_195, seconds: t(4, 49, 17)),
        .init(vdot: 40, meters: 5000, seconds: t(0, 24, 8)), .init(vdot: 40, meters: 10_000, seconds: t(0, 50, 3)),
        .init(vdot: 40, meters: 21_097.5, seconds: t(1, 50, 59)),
        .init(vdot: 40, meters: 42_195, seconds: t(3, 49, 45)),
        .init(vdot: 50, meters: 5000, seconds: t(0, 19, 57)), .init(vdot: 50, meters: 10_000, seconds: t(0, 41, 21)),
        .init(vdot: 50, meters: 21_097.5, seconds: t(1, 31, 35)),
        .init(vdot: 50, meters: 42_195, seconds: t(3, 10, 49)),
        .init(vdot: 60, meters: 5000, seconds: t(0, 17, 3)), .init(vdot: 60, meters: 10_000, seconds: t(0, 35, 22)),
        .init(vdot: 60, meters: 21_097.5, seconds: t(1, 18, 9)), .init(vdot: 60, meters: 42_195, seconds: t(2, 43, 25)),
        .init(vdot: 70, meters: 5000, seconds: t(0, 14, 55)), .init(vdot: 70, meters: 10_000, seconds: t(0, 30, 59)),
        .init(vdot: 70, meters: 21_097.5, seconds: t(1, 8, 21)), .init(vdot: 70, meters: 42_195, seconds: t(2, 23, 10)),
        .init(vdot: 85, meters: 5000, seconds: t(0, 12, 37)), .init(vdot: 85, meters: 10_000, seconds: t(0, 26, 19)),
        .init(vdot: 50, meters: 1500, seconds: t(0, 5, 24)), .init(vdot: 50, meters: 1609.344, seconds: t(0, 5, 50)),
    ]

    struct PaceRow: Sendable, CustomStringConvertible {
        let vdot: Double
        let threshold: Double
        let interval: Double
        let repetition: Double?
        var description: String { "VDOT \(vdot)" }
    }

    /// T and I per km; R from its 400 m time × 2.5.
    static let paces: [PaceRow] = [
        .init(vdot: 30, threshold: t(0, 6, 24), interval: t(0, 5, 55), repetition: nil),
        .init(vdot: 40, threshold: t(0, 5, 6), interval: t(0, 4, 42), repetition: 105 * 2.5),
        .init(vdot: 50, threshold: t(0, 4, 15), interval: t(0, 3, 55), repetition: 88 * 2.5),
        .init(vdot: 60, threshold: t(0, 3, 40), interval: t(0, 3, 23), repetition: 75 * 2.5),
        .init(vdot: 70, threshold: t(0, 3, 14), interval: t(0, 2, 59), repetition: 66 * 2.5),
    ]
}

@Suite("VDOT and race equivalence against Daniels' tables")
struct VDOTTableTests {
    @Test(arguments: DanielsTables.races)
    func vdotFromRaceMatchesTable(row: DanielsTables.RaceRow) throws {
        let race = try RaceResult(meters: row.meters, seconds: row.seconds)
        #expect(abs(race.vdot.value - row.vdot) <= 0.3, "computed \(race.vdot.value)")
    }

    @Test(arguments: DanielsTables.races)
    func predictedTimeWithinOnePercent(row: DanielsTables.RaceRow) throws {
        let predicted = try VDOT(row.vdot).raceTime(meters: row.meters)
        #expect(abs(predicted - row.seconds) / row.seconds <= 0.01, "predicted \(predicted) s, table \(row.seconds) s")
    }

    @Test(arguments: DanielsTables.paces)
    func trainingPacesMatchTable(row: DanielsTables.PaceRow) throws {
        let paces = TrainingPaces(vdot: try VDOT(row.vdot))
        #expect(abs(paces.threshold - row.threshold) <= 2, "T \(paces.threshold)")
        #expect(abs(paces.interval - row.interval) <= 2, "I \(paces.interval)")
        if let r = row.repetition {
            #expect(abs(paces.repetition - r) <= 4, "R \(paces.repetition)")
        }
    }

    @Test func marathonAndEasyPacesAtVDOT50() throws {
        let paces = TrainingPaces(vdot: try VDOT(50))
        // M: the table's marathon 3:10:49 over 42.195 km = 4:31.4/km; E 4:55–5:29/km (Table 5.2).
        #expect(abs(paces.marathon - DanielsTables.t(3, 10, 49) / 42.195) <= 10)
        #expect(abs(paces.easyFast - DanielsTables.t(0, 4, 55)) <= 10)
        #expect(abs(paces.easySlow - DanielsTables.t(0, 5, 29)) <= 10)
    }

    /// M pace is the predicted marathon pace: within 3 s/km of the M pace Daniels' own calculator (V.O2,
    /// vdoto2.com) gives for a marathon or half-marathon result, from VDOT 25 to 86 — the VDOT found from
    /// the race here, as the calculator finds it.
    @Test(arguments: [
        (42_195.0, 19_800.0, 467.0), (42_195, 18_000, 425), (42_195, 16_200, 384), (42_195, 14_400, 341),
        (42_195, 12_600, 299), (42_195, 10_800, 256), (42_195, 9000, 213), (42_195, 7200, 170),
        (21_097.5, 9000, 435), (21_097.5, 7200, 352), (21_097.5, 6300, 310), (21_097.5, 5400, 267),
        (21_097.5, 4500, 223), (21_097.5, 3600, 179),
    ])
    func marathonPaceWithinThreeSecondsOfDanielsCalculator(meters: Double, seconds: Double, mPace: Double) throws {
        let vdot = try RaceResult(meters: meters, seconds: seconds).vdot
        let paces = TrainingPaces(vdot: vdot)
        #expect(abs(paces.marathon - mPace) <= 3, "VDOT \(vdot.value): M \(paces.marathon) s/km, calculator \(mPace)")
    }

    @Test func repetitionRuleChangesAtVDOT50() throws {
        let low = TrainingPaces(vdot: try VDOT(49.9)), high = TrainingPaces(vdot: try VDOT(50))
        #expect(abs((low.interval - low.repetition) - 20) < 1e-9)
        #expect(abs((high.interval - high.repetition) - 15) < 1e-9)
    }

    @Test func riegelIsShownBesideVDOT() throws {
        let race = try RaceResult(meters: 10_000, seconds: 2400)
        let half = try #require(race.equivalentTimes().first { $0.distance.name == "Half marathon" })
        #expect(abs(half.riegelSeconds - 2400 * pow(2.10975, 1.06)) < 1e-6)
        #expect(half.seconds != half.riegelSeconds)
    }

    @Test func fiftyKilometersIsComputedButFlagged() throws {
        let race = try RaceResult(meters: 50_000, seconds: DanielsTables.t(4, 0, 0))
        #expect(race.isOutsideTables)
        #expect(!FitnessReport(race: race).notes.isEmpty)
        #expect(try !RaceResult(meters: 10_000, seconds: 2500).isOutsideTables)
    }
}

@Suite("VDOT properties")
struct VDOTPropertyTests {
    @Test func fasterTimeGivesHigherVDOT() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<2_000 {
            let meters = Double.random(in: 1500...42_195, using: &rng)
            let seconds = meters / Double.random(in: 2.5...6.5, using: &rng)
            let faster = seconds * Double.random(in: 0.90...0.999, using: &rng)
            #expect(Daniels.vdot(meters: meters, seconds: faster) > Daniels.vdot(meters: meters, seconds: seconds))
        }
    }

    @Test func vdotToTimeToVDOTRoundTrips() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let vdot = Double.random(in: 30...85, using: &rng)
            let meters = Double.random(in: 1500...42_195, using: &rng)
            let time = Daniels.raceTime(meters: meters, vdot: vdot)
            #expect(abs(Daniels.vdot(meters: meters, seconds: time) - vdot) < 1e-6)
            // Tolerance of the solver: well under 0.1 s.
            #expect(
                abs(Daniels.raceTime(meters: meters, vdot: Daniels.vdot(meters: meters, seconds: time)) - time) < 0.05)
        }
    }

    @Test func zonesAreOrderedAndContiguous() throws {
        for vdot in stride(from: 20.0, through: 85.0, by: 0.5) {
            let zones = PaceZones(vdot: try VDOT(vdot))
            var previousFast: Double?
            for zone in PaceZone.allCases {
                let range = zones.range(zone)
                #expect(range.fast < range.slow, "\(zone) at VDOT \(vdot)")
                if let previousFast {
                    #expect(abs(range.slow - previousFast) < 1e-9, "gap before \(zone) at VDOT \(vdot)")
                }
                previousFast = range.fast
            }
            let p = zones.paces
            #expect(zones.zone(forPace: p.threshold) == .z3)
            #expect(zones.zone(forPace: p.interval) == .z4)
            #expect(zones.zone(forPace: p.marathon) == .z2)
            #expect(zones.zone(forPace: p.easySlow + 60) == .z1)
            #expect(zones.zone(forPace: 60) == .z6)
        }
    }

    @Test func pacesGetFasterAsVDOTRises() throws {
        var previous: TrainingPaces?
        for vdot in stride(from: 30.0, through: 85.0, by: 1) {
            let paces = TrainingPaces(vdot: try VDOT(vdot))
            if let previous {
                #expect(
                    paces.threshold < previous.threshold && paces.interval < previous.interval
                        && paces.marathon < previous.marathon)
            }
            #expect(
                paces.easySlow > paces.easyFast && paces.easyFast > paces.marathon && paces.marathon > paces.threshold
                    && paces.threshold > paces.interval && paces.interval > paces.repetition)
            previous = paces
        }
    }
}

@Suite("Fitness input validation")
struct FitnessInputTests {
    @Test(arguments: [(0.0, 1200.0), (-5000, 1200), (5000, 0), (5000, -1), (.nan, 1200), (5000, .infinity)])
    func nonsenseIsRefused(meters: Double, seconds: Double) {
        #expect(throws: FitnessInputError.self) { try RaceResult(meters: meters, seconds: seconds) }
    }

    @Test func hundredMetersInOneSecondIsRefused() {
        #expect(throws: FitnessInputError.distanceOutOfRange(100)) { try RaceResult(meters: 100, seconds: 1) }
    }

    @Test func marathonInTwentyHoursIsRefusedWithAMessage() {
        do {
            _ = try RaceResult(meters: 42_195, seconds: 20 * 3600)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("plausible"))
        }
    }

    @Test func vdotOutOfRange() {
        #expect(throws: FitnessInputError.self) { try VDOT(5) }
        #expect(throws: FitnessInputError.self) { try VDOT(120) }
    }

    @Test func clockParsing() {
        #expect(TimeFormat.parseClock("19:57") == 1197)
        #expect(TimeFormat.parseClock("3:10:49") == 11_449)
        #expect(TimeFormat.parseClock("1200") == 1200)
        #expect(TimeFormat.parseClock("59.5") == 59.5)
        for bad in ["", "abc", "1:60", "1:2:3:4", "-5:00", "1::2", "1:-2", "99999999999999999999", "1:5a"] {
            #expect(TimeFormat.parseClock(bad) == nil, "\(bad)")
        }
        #expect(TimeFormat.clock(11_449) == "3:10:49")
        #expect(TimeFormat.clock(1197) == "19:57")
        #expect(TimeFormat.pace(secondsPerKm: 255, units: .km) == "4:15/km")
        #expect(TimeFormat.pace(secondsPerKm: 255, units: .mi) == "6:50/mi")
    }
}

@Suite("Level, heart-rate zones and conditions")
struct LevelAndConditionsTests {
    @Test func levelFollowsVDOTVolumeAndDays() throws {
        #expect(LevelRecommendation(vdot: try VDOT(55), weeklyKm: 80, daysPerWeek: 6).level == .advanced)
        let intermediate = LevelRecommendation(vdot: try VDOT(55), weeklyKm: 40, daysPerWeek: 5)
        #expect(intermediate.level == .intermediate)
        #expect(intermediate.reasons.contains { $0.contains("40 km a week is below 60 km") })
        let basic = LevelRecommendation(vdot: try VDOT(33), weeklyKm: 15, daysPerWeek: 3)
        #expect(basic.level == .basic)
        #expect(basic.reasons.count == 4)
    }

    @Test func karvonenZones() throws {
        let zones = try #require(HeartRateZones(maxHR: 190, restingHR: 50))
        #expect(zones.range(.z1) == 120...148)  // 50 + 0.5·140 = 120, 50 + 0.7·140 = 148
        #expect(zones.range(.z3).lowerBound == 162)
        #expect(HeartRateZones(maxHR: 60, restingHR: 55) == nil)
    }

    @Test func heatBandsAreContinuous() {
        func percent(_ sum: Double) -> Double {
            if case .slowBy(let f) = Conditions.heat(temperatureF: sum - 50, dewPointF: 50) { return f * 100 }
            return .nan
        }
        #expect(percent(90) == 0)
        #expect(percent(100) == 0)
        #expect(abs(percent(125) - 1.5) < 1e-9)  // middle of 121–130 → 1–2 %
        #expect(abs(percent(135) - 2.5) < 1e-9)
        var previous = 0.0
        for sum in stride(from: 100.0, through: 180, by: 0.5) {
            let p = percent(sum)
            #expect(p >= previous && p - previous < 0.25, "jump at \(sum)")
            previous = p
        }
        #expect(Conditions.heat(temperatureF: 95, dewPointF: 90) == .hardRunningNotAdvised)
        if case .slowBy(let full) = Conditions.heat(temperatureF: 80, dewPointF: 60),
            case .slowBy(let half) = Conditions.heat(temperatureF: 80, dewPointF: 60, shortRepeats: true)
        {
            #expect(abs(half - full / 2) < 1e-12)
        } else {
            Issue.record("expected adjustments")
        }
    }

    @Test func altitude() {
        #expect(Conditions.altitudeFactor(altitudeMeters: 700, effortSeconds: 3600) == 1)
        #expect(abs(Conditions.altitudeFactor(altitudeMeters: 1750, effortSeconds: 3600) - exp(0.06)) < 1e-12)
        #expect(Conditions.altitudeFactor(altitudeMeters: 2000, effortSeconds: 60) == 1)
        let adjusted = Conditions.adjustedPace(
            secondsPerKm: 300, temperatureC: nil, dewPointC: nil, altitudeMeters: 1750,
            effortSeconds: 1200, shortRepeats: false)
        #expect(adjusted.map { abs($0 - 300 * exp(0.06)) < 1e-9 } == true)
    }
}
