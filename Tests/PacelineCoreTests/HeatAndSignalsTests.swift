import Foundation
import Testing
@testable import PacelineCore

/// The heat rule (SCIENCE.md §6), heat-normalized efficiency, sleep debt and heart-rate dropouts.
struct HeatAndSignalsTests {
    let today = CalendarDate(year: 2027, month: 7, day: 14) ?? .earliest  // a Wednesday
    static let library = EngineTests.library

    func week() -> [PlannedSession] {
        [
            (1, "Easy run 40 min"), (2, "Tempo run 20 min"), (3, "Repetitions 10 × 400 m"), (4, "Long run 90 min"),
            (6, "Easy run 40 min"),
        ]
        .enumerated().compactMap { index, item in
            Self.library[item.1].map {
                PlannedSession(id: Int64(index + 1), date: today.adding(days: item.0), workout: $0, done: nil)
            }
        }
    }

    // MARK: Hadley's table on a workout

    @Test func aDaysWeatherGivesHadleysAdjustmentAndItsWords() throws {
        // 30 °C and 20 °C dew point: 86 + 68 = 154 °F, between the 145 (3.75 %) and 155 (5.25 %) band middles.
        let hot = HeatAdjustment(DayWeather(temperatureC: 30, dewPointC: 20))
        #expect(abs(hot.fraction - 0.051) < 0.0001)
        #expect(hot.fraction(shortRepeat: true) == hot.fraction / 2)
        #expect(!hot.hardRunningNotAdvised)
        #expect(
            hot.words(units: .km) == "30 °C, dew point 20 °C: paces 5.1 % slower (2.5 % on repeats of a mile or "
                + "less)")
        #expect(hot.words(units: .mi).hasPrefix("86 °F, dew point 68 °F"))
        // 40 °C and 30 °C: 104 + 86 = 190 °F, over the table.
        #expect(HeatAdjustment(DayWeather(temperatureC: 40, dewPointC: 30)).hardRunningNotAdvised)
        // 15 °C and 8 °C: 59 + 46.4 = 105.4 °F, in the 101–110 band (0–0.5 %); a cool 12 °C/4 °C day: nothing.
        #expect(abs(HeatAdjustment(DayWeather(temperatureC: 15, dewPointC: 8)).fraction - 0.0027) < 0.0001)
        #expect(HeatAdjustment(DayWeather(temperatureC: 12, dewPointC: 4)).fraction == 0)
        // Checks: the dew point cannot exceed the temperature; out-of-range readings are refused.
        #expect(DayWeather(temperatureC: 20, dewPointC: 25).problems().map(\.field) == ["dew_point"])
        #expect(DayWeather(temperatureC: 90, dewPointC: 10).problems().map(\.field) == ["temperature"])
        #expect(DayWeather(temperatureC: .nan, dewPointC: .infinity).problems().count == 2)
        #expect(DayWeather(temperatureC: 24, dewPointC: 16).problems().isEmpty)
    }

    @Test func stepsShowTheHeatAdjustedPaceBesideTheTarget() throws {
        let zones = try #require(PaceZones(vdotValue: 50))
        let heat = HeatAdjustment(DayWeather(temperatureC: 30, dewPointC: 20))
        var tempo = try #require(Self.library["Tempo run 20 min"])
        let plain = WorkoutWords(units: .km, zones: zones).steps(tempo.blocks)
        tempo.heat = heat
        let steps = WorkoutWords(units: .km, zones: zones).forWorkout(tempo).steps(tempo.blocks)
        // The target is still there, word for word; the adjusted pace follows it.
        for (a, b) in zip(plain, steps) { #expect(b.hasPrefix(a)) }
        let t = zones.range(.z3)
        let fast = TimeFormat.clock(t.fast * (1 + heat.fraction))
        let slow = TimeFormat.pace(secondsPerKm: t.slow * (1 + heat.fraction), units: .km)
        let expected = "[in the heat \(fast)–\(slow)]"
        #expect(steps.contains { $0.contains(expected) })
        // 400 m repeats take half the adjustment.
        var reps = try #require(Self.library["Repetitions 10 × 400 m"])
        reps.heat = heat
        let r = zones.range(.z5)
        let half = "[in the heat \(TimeFormat.clock(r.fast * (1 + heat.fraction / 2)))"
        #expect(
            WorkoutWords(units: .km, zones: zones).forWorkout(reps).steps(reps.blocks).contains { $0.contains(half) })
        // A workout without heat encodes exactly as before (the stored JSON does not change).
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(try #require(Self.library["Tempo run 20 min"])), as: UTF8.self)
        #expect(!json.contains("heat"))
        let back = try JSONDecoder().decode(Workout.self, from: try encoder.encode(tempo))
        #expect(back == tempo && back.heat == heat)
    }

    // MARK: The heat rule

    @Test func aHotForecastAdjustsThatDaysRunsOnly() throws {
        let thursday = today.adding(days: 1), friday = today.adding(days: 2)
        let input = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: [], schedule: week(),
            weather: [
                friday: DayWeather(temperatureC: 31, dewPointC: 22),
                thursday: DayWeather(temperatureC: 18, dewPointC: 9),
            ])
        let proposals = Engine.proposals(input, state: Engine.state(input))
        #expect(proposals.count == 1)
        let heat = try #require(proposals.first)
        #expect(heat.kind == .heat && heat.title.contains("Friday"))
        #expect(heat.explanation.contains("31 °C") && heat.explanation.contains("keeps its targets"))
        guard case .replace(let id, let date, let before, let after) = heat.changes.first else {
            Issue.record("not a replace"); return
        }
        #expect(id == 2 && date == friday && before.name == after.name && after.blocks == before.blocks)
        #expect(after.heat == HeatAdjustment(DayWeather(temperatureC: 31, dewPointC: 22)))
        #expect(heat.changes.first?.words.contains("heat-adjusted paces") == true)
        // The same situation proposes the same thing (idempotent fingerprint).
        #expect(Engine.proposals(input, state: Engine.state(input)).map(\.fingerprint) == [heat.fingerprint])
        // Once applied, nothing more is proposed.
        var applied = input
        applied.schedule = input.schedule.map {
            $0.id == id ? PlannedSession(id: id, date: date, workout: after, done: nil) : $0
        }
        #expect(Engine.proposals(applied, state: Engine.state(applied)).isEmpty)
        // The forecast cools (19 °C, 10 °C: 0.7 %, under the 1 % worth a change): the adjustment comes off.
        var cooler = applied
        cooler.weather[friday] = DayWeather(temperatureC: 19, dewPointC: 10)
        let off = try #require(Engine.proposals(cooler, state: Engine.state(cooler)).first)
        guard case .replace(_, _, _, let plain) = off.changes.first else { Issue.record("not a replace"); return }
        #expect(off.kind == .heat && plain.heat == nil && off.fingerprint != heat.fingerprint)
    }

    @Test func theWorkoutDigestIsTheSameInEveryProcess() throws {
        // Fingerprints must match across restarts (the store keeps them): no per-process seed.
        let tempo = try #require(Self.library["Tempo run 20 min"])
        #expect(Engine.digest(tempo) == Engine.digest(tempo))
        // FNV-1a of its fields: scripts/workout-digest.py computes it independently (Tests/e2e/test_workout_digest.py).
        #expect(Engine.digest(tempo) == "de0be102d2b51461")
        var hot = tempo
        hot.heat = HeatAdjustment(DayWeather(temperatureC: 31, dewPointC: 22))
        var longer = tempo
        longer.blocks[1].durationSeconds = 1500
        #expect(Set([Engine.digest(tempo), Engine.digest(hot), Engine.digest(longer)]).count == 3)
    }

    @Test func overTheTableAQualitySessionBecomesAnEasyRunByFeel() throws {
        let friday = today.adding(days: 2)
        let input = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: [], schedule: week(),
            weather: [friday: DayWeather(temperatureC: 40, dewPointC: 29)])
        let heat = try #require(Engine.proposals(input, state: Engine.state(input)).first)
        guard case .replace(_, _, let before, let after) = heat.changes.first else {
            Issue.record("not a replace"); return
        }
        #expect(before.subtype == .tempoRun && after.subtype == .easyRun && after.heat?.hardRunningNotAdvised == true)
        #expect(heat.title.contains("Too hot"))
    }

    @Test func anotherPendingProposalForTheSameSessionComesFirst() throws {
        // Ill today: the sick rule turns Friday's tempo into an easy run; the heat rule waits for that decision.
        let friday = today.adding(days: 2)
        let input = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [],
            checkIns: [CheckIn(date: today, ill: true)], schedule: week(),
            weather: [
                friday: DayWeather(temperatureC: 31, dewPointC: 22),
                today.adding(days: 3): DayWeather(temperatureC: 31, dewPointC: 22),
            ])
        let proposals = Engine.proposals(input, state: Engine.state(input))
        let sick = try #require(proposals.first { $0.kind == .sick })
        #expect(!proposals.contains { $0.kind == .heat })
        // Once the coach has decided the sick proposal, the heat rule no longer waits.
        let after = Engine.proposals(input, state: Engine.state(input), settled: [sick.fingerprint])
        #expect(!after.contains { $0.kind == .sick } && after.filter { $0.kind == .heat }.count == 2)
    }

    @Test func heatIsNotHeldByASuspectReading() throws {
        // Steady HRV for 60 days, then one wild reading today: suspect — progressions hold, heat does not.
        var checkIns = (1...60).map {
            CheckIn(date: today.adding(days: -$0), hrvRMSSD: 60 + Double($0 % 3), restingHR: 48)
        }
        checkIns.append(CheckIn(date: today, hrvRMSSD: 190, restingHR: 48))
        let input = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: checkIns, schedule: week(),
            weather: [today.adding(days: 2): DayWeather(temperatureC: 31, dewPointC: 22)])
        let state = Engine.state(input)
        #expect(!state.suspect.isEmpty)
        #expect(Engine.proposals(input, state: state).map(\.kind) == [.heat])
    }

    // MARK: Efficiency, heat-normalized

    /// Easy runs at the same heart rate, every other day for four weeks, getting slower as the
    /// weather warms (hot days named in `weather`).
    func warmingRuns() -> (runs: [ActivityEntry], weather: [CalendarDate: DayWeather]) {
        var runs: [ActivityEntry] = [], weather: [CalendarDate: DayWeather] = [:]
        for k in 0..<12 {
            let date = today.adding(days: -26 + 2 * k)
            let w = DayWeather(temperatureC: 12 + 1.6 * Double(k), dewPointC: 6 + 1.4 * Double(k))
            weather[date] = w
            let slowdown = w.slowdown ?? 0
            let speed = 3.2 / (1 + slowdown)  // the same effort, slower in the heat
            runs.append(
                ActivityEntry(
                    sport: .run, date: date, distanceMeters: speed * 2700, durationSeconds: 2700, averageHeartRate: 140,
                    source: .fit))
        }
        return (runs, weather)
    }

    @Test func efficiencyIsHeatNormalized() throws {
        let (runs, weather) = warmingRuns()
        let raw = EngineInput(
            today: today, physiology: Physiology(maxHR: 190, restingHR: 48, vdot: 50), activities: runs, checkIns: [],
            schedule: [])
        let rawChange = try #require(Engine.efficiencyChange(raw))
        #expect(rawChange < -Thresholds.efDropFraction)  // without the weather it looks like fatigue
        var normalized = raw
        normalized.weather = weather
        let change = try #require(Engine.efficiencyChange(normalized))
        #expect(abs(change) < 0.005)  // with it, efficiency is flat
        #expect(Engine.state(normalized).overtrainingSignals.isEmpty)
        // A run on a day over the table is not judged at all.
        var scorching = normalized
        for date in weather.keys.sorted().prefix(9) {
            scorching.weather[date] = DayWeather(temperatureC: 42, dewPointC: 30)
        }
        #expect(Engine.efficiencyChange(scorching) == nil)
    }

    // MARK: Sleep debt

    @Test func sleepDebtAddsUpTheHoursShortOfNeed() {
        func state(_ hours: [Double]) -> AthleteState {
            let checkIns = hours.enumerated().map {
                CheckIn(date: today.adding(days: -$0.offset), sleepHours: $0.element)
            }
            return Engine.state(
                EngineInput(
                    today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: checkIns, schedule: []))
        }
        // Seven nights of 6.5 h: 1.5 h short each, 10.5 h in all — amber, with the figure in words.
        let short = state(Array(repeating: 6.5, count: 7))
        #expect(short.sleepDebtHours == 10.5 && short.readiness == .amber)
        #expect(short.reasons.contains { $0.contains("sleep debt 10.5 h") })
        #expect(short.shortSleepNights == 0)  // not under 6 h: no overtraining signal
        // 7.5 h nights: 3.5 h in all, under the threshold.
        let fine = state(Array(repeating: 7.5, count: 7))
        #expect(fine.sleepDebtHours == 3.5 && fine.readiness == .green)
        // Long nights do not pay the debt back within the week (no negative debt).
        #expect(state([9, 9, 9, 6, 6, 6, 6]).sleepDebtHours == 8)
        // Three nights are too few to state a debt.
        #expect(state([5, 5, 5]).sleepDebtHours == nil)
    }

    // MARK: Readiness, day by day

    @Test func readinessIsJudgedForEachDayWithWhatWasKnownThen() throws {
        // Sixty ordinary mornings, then a cold from two days ago: green before, red since.
        let checkIns = EngineTests().coldCheckIns()
        let today = EngineTests().today
        let input = EngineInput(
            today: today, physiology: Physiology(vdot: 50), activities: [], checkIns: checkIns, schedule: [])
        let history = Engine.readinessHistory(input, days: 5)
        #expect(history.map(\.date) == (0..<5).reversed().map { today.adding(days: -$0) })
        #expect(history.first?.level == .green && history.first?.reasons.first?.contains("no warning signs") == true)
        #expect(history.last?.level == Engine.state(input).readiness && history.last?.level == .red)
        // A later check-in does not colour an earlier day.
        #expect(history[1].level < .red)
    }

    // MARK: Heart-rate dropouts

    func track(heartRates: [Double?]) -> Track {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let samples = heartRates.enumerated().map { i, hr in
            // 3 m/s along a meridian: about 0.000027° of latitude per second.
            TrackSample(
                time: start.addingTimeInterval(Double(i)), latitude: 45 + Double(i) * 0.000027, longitude: 7,
                heartRate: hr)
        }
        return Track(sport: .running, segments: [samples])
    }

    @Test func heartRateDropoutsAreCountedAndSetAside() throws {
        // 600 s of running at 150 bpm; the strap loses contact for 60 s (no reading) and reads 70 for 40 s.
        var rates: [Double?] = Array(repeating: 150, count: 600)
        for i in 100..<160 { rates[i] = nil }
        for i in 300..<340 { rates[i] = 70 }
        let summary = ActivitySummary(track(heartRates: rates))
        #expect(summary.heartRateSamples == 600 && summary.heartRateDropouts == 100)
        let entry = try #require(ActivityEntry(summary: summary, source: .gpx, fallbackSport: .run, timeZone: .gmt))
        #expect(entry.heartRateUnreliable)
        // Load comes from pace, not from the untrustworthy heart rate.
        let who = Physiology(sex: .male, maxHR: 190, restingHR: 48, vdot: 50)
        #expect(Load.of(entry, who)?.source == .pace)
        // A clean strap: no dropouts, heart-rate load.
        let clean = ActivitySummary(track(heartRates: Array(repeating: 150, count: 600)))
        #expect(clean.heartRateDropouts == 0)
        let cleanEntry = try #require(ActivityEntry(summary: clean, source: .gpx, fallbackSport: .run, timeZone: .gmt))
        #expect(!cleanEntry.heartRateUnreliable && Load.of(cleanEntry, who)?.source == .heartRate)
        // A file without heart rate has nothing to drop out.
        #expect(ActivitySummary(track(heartRates: Array(repeating: nil, count: 100))).heartRateSamples == 0)
        // A low reading while standing still is recovery, not a dropout.
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let standing = (0..<200).map { i in
            TrackSample(
                time: start.addingTimeInterval(Double(i)), latitude: 45 + Double(min(i, 100)) * 0.000027, longitude: 7,
                heartRate: i <= 100 ? 160 : 80)
        }
        #expect(ActivitySummary(Track(sport: .running, segments: [standing])).heartRateDropouts == 0)
    }

    @Test func aConfidentFitsTimeConstantsAreWhatTheEngineUses() throws {
        let sure = BanisterFit(
            model: BanisterModel(p0: 50, k1: 0.1, k2: 0.2, tau1: 35, tau2: 9), tauFitted: true, rmse: 0.2, markers: 8,
            tau2Range: 8...10, predictionError: 0.3, confidence: 0.8, reason: "")
        #expect(sure.confidentTau?.fitness == 35 && sure.confidentTau?.fatigue == 9)
        let unsure = BanisterFit(
            model: sure.model, tauFitted: true, rmse: 0.2, markers: 8, tau2Range: 3...18, predictionError: 2,
            confidence: 0.3, reason: "")
        #expect(unsure.confidentTau == nil)
    }
}
