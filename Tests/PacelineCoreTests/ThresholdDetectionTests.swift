import Foundation
import Testing
@testable import PacelineCore

/// Issue 19, items 4 and 5: load from power and swim pace on the engine's scale, and thresholds read
/// from what the athlete did.
struct ThresholdDetectionTests {
    static let today = CalendarDate(year: 2027, month: 3, day: 10)!

    static func input(_ activities: [ActivityEntry], history: [ThresholdEntry] = []) -> EngineInput {
        EngineInput(
            today: today,
            physiology: Physiology(maxHR: 190, restingHR: 50, vdot: 48, thresholdHistory: history),
            activities: activities, checkIns: [], schedule: [])
    }

    static func ride(daysAgo: Int, best20: Double, minutes: Double = 90) -> ActivityEntry {
        var e = ActivityEntry(
            sport: .bike, date: today.adding(days: -daysAgo), durationSeconds: minutes * 60, source: .fit)
        e.averagePower = best20 * 0.7
        e.normalizedPower = best20 * 0.8
        e.bestPower20Minutes = best20
        return e
    }

    static func ftp(_ watts: Double, daysAgo: Int = 100) -> ThresholdEntry {
        ThresholdEntry(kind: .ftp, value: watts, validFrom: today.adding(days: -daysAgo), source: .entered)
    }

    // MARK: Load

    @Test func anHourAtFTPIs100AndTheScaleIsTheEngines() throws {
        #expect(abs(try #require(Load.powerLoad(seconds: 3600, normalizedPower: 250, ftp: 250)) - 100) < 1e-9)
        // Two hours at IF 0.75: 2 × 0.5625 × 100.
        #expect(abs(try #require(Load.powerLoad(seconds: 7200, normalizedPower: 187.5, ftp: 250)) - 112.5) < 1e-9)
        // The same hour at threshold by pace scores the same as by power.
        let pace = Load.paceLoad(seconds: 3600, meters: 15_000, thresholdSpeed: 15_000 / 3600.0)
        #expect(abs(pace - 100) < 1e-9)
        #expect(Load.powerLoad(seconds: 3600, normalizedPower: 900, ftp: 250) == nil, "3.6 × FTP is a stale FTP")
        #expect(Load.powerLoad(seconds: .nan, normalizedPower: 200, ftp: 250) == nil)
        #expect(Load.powerLoad(seconds: 3600, normalizedPower: 200, ftp: 0) == nil)
    }

    @Test func aRideWithPowerIsScoredByTheFTPOfItsDay() throws {
        var ride = Self.ride(daysAgo: 3, best20: 240)
        ride.normalizedPower = 200
        ride.averageHeartRate = 150
        // FTP 250 until a week ago, 200 since: the ride of three days ago is at IF 1.0.
        let history = [Self.ftp(250), Self.ftp(200, daysAgo: 7)]
        let who = Physiology(maxHR: 190, restingHR: 50, thresholdHistory: history)
        let load = try #require(Load.of(ride, who))
        #expect(load.source == .power && load.confidence > LoadSource.heartRate.confidence)
        #expect(abs(load.value - 150) < 1e-9, "90 min at IF 1.0 is 150")
        // Before the FTP was known the same ride falls back to its heart rate.
        let earlier = try #require(Load.of(ride, Physiology(maxHR: 190, restingHR: 50)))
        #expect(earlier.source == .heartRate)
    }

    @Test func aSwimIsScoredByItsPaceAgainstCSS() throws {
        // CSS 1:40/100 m: 3 000 m in 50 min is 1:40/100 m, IF 1 — 50 min at threshold is 83.3.
        let css = ThresholdEntry(kind: .css, value: 100, validFrom: Self.today.adding(days: -30), source: .test)
        var swim = ActivityEntry(
            sport: .swim, date: Self.today, distanceMeters: 3000, durationSeconds: 3000, averageHeartRate: 140,
            source: .manual)
        let who = Physiology(maxHR: 190, restingHR: 50, thresholdHistory: [css])
        let load = try #require(Load.of(swim, who))
        #expect(load.source == .swimPace && abs(load.value - 3000.0 / 3600 * 100) < 1e-9)
        // Slower than CSS weighs by the cube: at 2:00/100 m (IF 5/6) an hour is 57.9.
        swim.distanceMeters = 3000
        swim.durationSeconds = 3600
        let easy = try #require(Load.of(swim, who))
        #expect(abs(easy.value - pow(100.0 / 120, 3) * 100) < 1e-9)
        #expect(Load.swimLoad(seconds: 10, meters: 1_000_000, cssPer100m: 100) == nil)
    }

    // MARK: FTP

    @Test func theBestTwentyMinutesOfARecentRideProposeFTPAtNinetyFivePercent() throws {
        let input = Self.input(
            [
                Self.ride(daysAgo: 9, best20: 262), Self.ride(daysAgo: 4, best20: 276),
                Self.ride(daysAgo: 1, best20: 230),
            ],
            history: [Self.ftp(250)])
        let proposal = try #require(Engine.detectFTP(input))
        #expect(proposal.kind == .threshold)
        let day = Self.today.adding(days: -4)
        #expect(proposal.changes == [.setThreshold(kind: .ftp, from: 250, to: 262, validFrom: day)])
        #expect(proposal.title == "FTP 250 W → 262 W")
        #expect(proposal.explanation.contains("276 W") && proposal.explanation.contains(day.description))
        // And the engine's list carries it.
        let all = Engine.proposals(input, state: Engine.state(input))
        #expect(all.contains(proposal))
        // Decided once, never again.
        #expect(
            !Engine.proposals(input, state: Engine.state(input), settled: [proposal.fingerprint]).contains(proposal))
    }

    @Test func aRideBelowOrJustAboveTheFTPProposesNothingAndOldRidesAreNotRead() {
        // 95 % of 260 is 247: below 250.
        #expect(Engine.detectFTP(Self.input([Self.ride(daysAgo: 2, best20: 260)], history: [Self.ftp(250)])) == nil)
        // 95 % of 266 is 253: within 2 % of 250 — noise, not a new threshold.
        #expect(Engine.detectFTP(Self.input([Self.ride(daysAgo: 2, best20: 266)], history: [Self.ftp(250)])) == nil)
        // A strong ride three weeks ago is outside the window.
        #expect(Engine.detectFTP(Self.input([Self.ride(daysAgo: 20, best20: 320)], history: [Self.ftp(250)])) == nil)
        // A run's power is not a ride's.
        var run = Self.ride(daysAgo: 2, best20: 320)
        run.sport = .run
        #expect(Engine.detectFTP(Self.input([run], history: [Self.ftp(250)])) == nil)
    }

    @Test func anAthleteWithoutFTPGetsAFirstOne() throws {
        let proposal = try #require(Engine.detectFTP(Self.input([Self.ride(daysAgo: 2, best20: 200)])))
        #expect(
            proposal.changes == [.setThreshold(kind: .ftp, from: nil, to: 190, validFrom: Self.today.adding(days: -2))])
        #expect(proposal.title == "FTP 190 W")
    }

    // MARK: Threshold heart rate

    static func effort(_ sport: Sport, daysAgo: Int, hr: Double, rpe: Int?) -> ActivityEntry {
        var e = ActivityEntry(
            sport: sport, date: today.adding(days: -daysAgo), durationSeconds: 45 * 60, averageHeartRate: hr - 8,
            rpe: rpe, source: .fit)
        e.effortHeartRate = hr
        return e
    }

    @Test func aHardThirtyMinuteEffortProposesTheThresholdHeartRateOfItsSport() throws {
        let lthr = ThresholdEntry(kind: .lthrRun, value: 170, validFrom: Self.today.adding(days: -60), source: .test)
        let input = Self.input(
            [Self.effort(.run, daysAgo: 5, hr: 176.4, rpe: 9), Self.effort(.bike, daysAgo: 3, hr: 168, rpe: 8)],
            history: [lthr])
        let run = try #require(Engine.detectLTHR(input, sport: .run))
        #expect(
            run.changes == [.setThreshold(kind: .lthrRun, from: 170, to: 176, validFrom: Self.today.adding(days: -5))])
        let bike = try #require(Engine.detectLTHR(input, sport: .bike))
        #expect(
            bike.changes == [.setThreshold(kind: .lthrBike, from: nil, to: 168, validFrom: Self.today.adding(days: -3))]
        )
        // A lower test lowers it too (a test is a test).
        let lower = Self.input([Self.effort(.run, daysAgo: 1, hr: 164, rpe: 8)], history: [lthr])
        #expect(Engine.detectLTHR(lower, sport: .run)?.changes.first?.words.contains("170 bpm → 164 bpm") == true)
    }

    @Test func anEasySessionOrATwoBeatChangeOrBadHeartRateProposesNothing() {
        let lthr = ThresholdEntry(kind: .lthrRun, value: 170, validFrom: Self.today.adding(days: -60), source: .test)
        #expect(Engine.detectLTHR(Self.input([Self.effort(.run, daysAgo: 1, hr: 180, rpe: 6)]), sport: .run) == nil)
        #expect(Engine.detectLTHR(Self.input([Self.effort(.run, daysAgo: 1, hr: 180, rpe: nil)]), sport: .run) == nil)
        #expect(
            Engine.detectLTHR(
                Self.input([Self.effort(.run, daysAgo: 1, hr: 172, rpe: 9)], history: [lthr]), sport: .run)
                == nil)
        var dropouts = Self.effort(.run, daysAgo: 1, hr: 185, rpe: 9)
        dropouts.heartRateSamples = 100
        dropouts.heartRateDropouts = 30
        #expect(Engine.detectLTHR(Self.input([dropouts]), sport: .run) == nil)
    }

    // MARK: CSS

    static func swim(daysAgo: Int, meters: Double, seconds: Double) -> ActivityEntry {
        ActivityEntry(
            sport: .swim, date: today.adding(days: -daysAgo), distanceMeters: meters, durationSeconds: seconds,
            source: .manual)
    }

    @Test func aLoggedFourHundredAndTwoHundredProposeCSS() throws {
        // 400 m in 6:00, 200 m in 2:50: CSS = (360 − 170) / 2 = 95 s per 100 m.
        let input = Self.input([
            Self.swim(daysAgo: 2, meters: 400, seconds: 360), Self.swim(daysAgo: 2, meters: 200, seconds: 170),
        ])
        let proposal = try #require(Engine.detectCSS(input))
        #expect(
            proposal.changes == [.setThreshold(kind: .css, from: nil, to: 95, validFrom: Self.today.adding(days: -2))])
        #expect(proposal.title == "CSS 1:35/100 m")
        // The same numbers as the thresholds page's test.
        #expect(SwimZones.fromTest(seconds400: 360, seconds200: 170) == 95)
    }

    @Test func swimsThatAreNoTestProposeNothing() {
        // A 200 slower per 100 m than the 400 (an easy 200): no CSS.
        #expect(
            Engine.detectCSS(
                Self.input([
                    Self.swim(daysAgo: 1, meters: 400, seconds: 360), Self.swim(daysAgo: 1, meters: 200, seconds: 190),
                ]))
                == nil)
        // A week apart: not one test.
        #expect(
            Engine.detectCSS(
                Self.input([
                    Self.swim(daysAgo: 9, meters: 400, seconds: 360), Self.swim(daysAgo: 1, meters: 200, seconds: 170),
                ]))
                == nil)
        // A 1 500 m swim and a 200: no 400.
        #expect(
            Engine.detectCSS(
                Self.input([
                    Self.swim(daysAgo: 1, meters: 1500, seconds: 1500),
                    Self.swim(daysAgo: 1, meters: 200, seconds: 170),
                ]))
                == nil)
        // Within 2 s of the CSS already known.
        let css = ThresholdEntry(kind: .css, value: 96, validFrom: Self.today.adding(days: -60), source: .test)
        #expect(
            Engine.detectCSS(
                Self.input(
                    [
                        Self.swim(daysAgo: 1, meters: 400, seconds: 360),
                        Self.swim(daysAgo: 1, meters: 200, seconds: 170),
                    ], history: [css]))
                == nil)
    }

    // MARK: From the samples

    @Test func theBestTwentyMinutesOfPowerAndHeartRateComeFromTheSamples() throws {
        // 10 min at 150 W, 20 min at 280 W, 10 min at 150 W.
        let watts =
            [Double](repeating: 150, count: 600) + [Double](repeating: 280, count: 1200)
            + [Double](repeating: 150, count: 600)
        let power = try #require(PowerSummary(series: watts))
        #expect(abs(try #require(power.best20Minutes) - 280) < 1e-9)
        #expect(PowerSummary(series: [Double](repeating: 300, count: 1199))?.best20Minutes == nil)
        // A 30-minute time trial: heart rate climbing from 150 to 178 over the first 10 min, then 178.
        let start = 1_800_000_000.0
        let samples = (0..<1800).map { i -> TrackSample in
            var s = TrackSample()
            s.time = Date(timeIntervalSince1970: start + Double(i))
            s.heartRate = i < 600 ? 150 + 28 * Double(i) / 600 : 178
            return s
        }
        let hr = try #require(EffortHeartRate.best20Minutes(Track(sport: .running, segments: [samples])))
        #expect(abs(hr - 178) < 0.05)
        // A 15-minute session is no 30-minute test; a 2-hour ride is not either.
        #expect(EffortHeartRate.best20Minutes(Track(sport: .running, segments: [Array(samples.prefix(900))])) == nil)
        // A 20-second dropout in the middle breaks the window: neither 15-minute half holds 20 minutes.
        var gapped = samples
        for i in 890..<910 { gapped[i].heartRate = nil }
        #expect(EffortHeartRate.best20Minutes(Track(sport: .running, segments: [gapped])) == nil)
        // A 4-second one is held over.
        for i in 890..<906 { gapped[i].heartRate = 178 }
        #expect(EffortHeartRate.best20Minutes(Track(sport: .running, segments: [gapped])) != nil)
    }
}

/// Issue 19, item 3: totals per sport in the sport's own terms.
struct SportTotalsTests {
    @Test func swimsInMetresOrYardsRidesInKmOrMilesStrengthWithoutDistance() throws {
        let day = CalendarDate(year: 2027, month: 3, day: 1)!
        let totals = SportTotals([
            ActivityEntry(sport: .swim, date: day, distanceMeters: 1500, durationSeconds: 1800, source: .manual),
            ActivityEntry(sport: .bike, date: day, distanceMeters: 40_000, durationSeconds: 5400, source: .manual),
            ActivityEntry(sport: .strength, date: day, durationSeconds: 2700, source: .manual),
            ActivityEntry(sport: .run, date: day, status: .skipped, distanceMeters: 8000, source: .manual),
        ])
        #expect(totals.lines.map(\.sport) == [.bike, .swim, .strength], "skipped is not training; Sport order")
        let swim = try #require(totals.lines.first { $0.sport == .swim })
        #expect(swim.distance(units: .km) == "1500 m" && swim.distance(units: .mi) == "1640 yd")
        let bike = try #require(totals.lines.first { $0.sport == .bike })
        #expect(bike.distance(units: .km) == "40.0 km" && bike.distance(units: .mi) == "24.9 mi")
        #expect(totals.lines.last?.distance(units: .km) == "–" && totals.lines.last?.seconds == 2700)
    }
}
