import Foundation
import Testing
@testable import PacelineCore

struct LoadTests {
    @Test func trimpMatchesTheWorkedExample() {
        // SCIENCE.md §3: 60 min, avg 155, rest 55, max 190, male → 117.94.
        let value = Load.trimp(minutes: 60, averageHR: 155, restingHR: 55, maxHR: 190, sex: .male)
        #expect(abs(value - 117.94) < 0.01)
        // Women weigh the same effort differently (b 0.86, c 1.67): 60·0.7407·0.86·e^(1.67·0.7407) = 131.2.
        #expect(
            abs(
                Load.trimp(minutes: 60, averageHR: 155, restingHR: 55, maxHR: 190, sex: .female) - 60 * (100.0 / 135)
                    * 0.86 * exp(1.67 * 100 / 135)) < 1e-9)
        #expect(Load.trimp(minutes: 60, averageHR: 50, restingHR: 55, maxHR: 190, sex: .male) == 0)
    }

    @Test func everyMethodPutsAnHourAtThresholdNear100() throws {
        let who = Physiology(sex: .male, maxHR: 190, restingHR: 50, vdot: 50)
        let threshold = try #require(who.thresholdSpeed)
        let day = CalendarDate(year: 2027, month: 1, day: 1) ?? .earliest
        let byHR = try #require(
            Load.of(
                ActivityEntry(
                    sport: .run, date: day, durationSeconds: 3600, averageHeartRate: 50 + 0.85 * 140, source: .manual),
                who))
        #expect(byHR.source == .heartRate && abs(byHR.value - 100) < 0.01)
        let byPace = try #require(
            Load.of(
                ActivityEntry(
                    sport: .run, date: day, distanceMeters: threshold * 3600, durationSeconds: 3600, source: .manual),
                Physiology(vdot: 50)))
        #expect(byPace.source == .pace && abs(byPace.value - 100) < 0.01)
        let byRPE = try #require(
            Load.of(
                ActivityEntry(sport: .bike, date: day, durationSeconds: 3600, rpe: 7, source: .manual), Physiology()))
        #expect(byRPE.source == .rpe && abs(byRPE.value - 100) < 0.01)
        #expect(Load.sessionRPE(rpe: 5, minutes: 60) * Load.rpeUnitsPerLoad == 300)  // Foster: RPE × minutes
        #expect(byHR.confidence > byPace.confidence && byPace.confidence > byRPE.confidence)
        #expect(Load.of(ActivityEntry(sport: .run, date: day, status: .skipped, source: .manual), who) == nil)
    }

    @Test func plannedLoadGrowsWithIntensityAndLength() {
        let easy = Workout(
            name: "E", sport: .run, subtype: .easyRun, blocks: [WorkoutBlock(.run, duration: 3600, pace: .z1)])
        let tempo = Workout(
            name: "T", sport: .run, subtype: .tempoRun, blocks: [WorkoutBlock(.run, duration: 3600, pace: .z3)])
        #expect(abs(Load.planned(tempo, zones: nil).value - 100) < 1e-9)
        #expect(Load.planned(easy, zones: nil).value < Load.planned(tempo, zones: nil).value)
        let repeats = Workout(
            name: "I", sport: .run, subtype: .intervalRun,
            blocks: [WorkoutBlock(.interval, repeat: 5, children: [WorkoutBlock(.run, duration: 180, pace: .z4)])])
        #expect(abs(Load.planned(repeats, zones: nil).value - 5 * 180.0 / 3600 * 1.08 * 1.08 * 100) < 1e-9)
    }
}

struct SeriesTests {
    @Test func fitnessAndFatigueFollowGoldenCheetahsConvention() {
        let loads = [100.0] + Array(repeating: 0, count: 9)
        let ctl = Series.exponential(loads, days: 42), atl = Series.exponential(loads, days: 7)
        #expect(abs(ctl[0] - 100 * (1 - exp(-1.0 / 42))) < 1e-12)
        #expect(abs(atl[3] - 100 * (1 - exp(-1.0 / 7)) * exp(-3.0 / 7)) < 1e-12)
        let tsb = Series.form(ctl: ctl, atl: atl)
        #expect(tsb[0] == 0 && abs(tsb[1] - (ctl[0] - atl[0])) < 1e-12)
        // A steady load converges to itself.
        #expect(abs((Series.exponential(Array(repeating: 50, count: 400), days: 42).last ?? 0) - 50) < 0.01)
    }

    @Test func acwrMonotonyAndRobustOutliers() throws {
        let ewma = Series.ewma([10, 20, 20], days: 7)
        #expect(ewma[0] == 10 && abs(ewma[1] - (0.25 * 20 + 0.75 * 10)) < 1e-12)
        // Foster's example shape: same load every training day, rest on Sunday.
        let week = [60.0, 60, 60, 60, 60, 60, 0]
        let (monotony, strain) = try #require(Series.monotony(week: week))
        let mean = 360.0 / 7
        let variance = (6 * (60 - mean) * (60 - mean) + mean * mean) / 7
        #expect(abs(monotony - mean / variance.squareRoot()) < 1e-9 && abs(strain - 360 * monotony) < 1e-9)
        let baseline = [50.0, 51, 49, 50, 52, 48, 50, 51, 49, 50]
        #expect(abs(try #require(Series.robustZ(50, among: baseline))) < 0.01)
        #expect(try #require(Series.robustZ(75, among: baseline)) > Thresholds.outlierZ)
        #expect(abs(try #require(Series.slope([(0, 1), (1, 3), (2, 5)])) - 2) < 1e-12)
    }

    @Test func hrvSuppressionAgainstItsBaselineAndElevatedRestingHR() throws {
        var days: [Double?] = (0..<60).map { i in log(60 + Double(i % 5) - 2) }
        #expect(try #require(HRVStatus(lnRMSSD: days)).suppressed == false)
        days += [log(45), log(44), log(46), log(45)]
        let status = try #require(HRVStatus(lnRMSSD: days))
        #expect(status.suppressed && status.swc > 0)
        #expect(HRVStatus(lnRMSSD: Array(days.prefix(10))) == nil)  // too few readings for a baseline
        let rhr: [Double?] =
            Array(repeating: 48, count: 27).enumerated().map { 48 + Double($0.offset % 3) - 1 } + [55, 56, 57]
        #expect(RestingHRStatus.elevated(rhr) == true)
        #expect(RestingHRStatus.elevated(Array(rhr.dropLast(3)) + [49, 48, 50]) == false)
    }
}

struct BanisterTests {
    /// Banister's model written out from the paper (Banister et al. 1975; SCIENCE.md §4), as a
    /// direct double sum — a second implementation, independent of `BanisterModel.predict`'s
    /// recursion: p(t) = p0 + k1·Σ_(s<t) w(s)·e^(−(t−s)/τ1) − k2·Σ_(s<t) w(s)·e^(−(t−s)/τ2).
    static func paperPerformance(
        _ loads: [Double], p0: Double, k1: Double, k2: Double, tau1: Double, tau2: Double
    ) -> [Double] {
        loads.indices.map { t in
            var fitness = 0.0, fatigue = 0.0
            for s in 0..<t {
                fitness += loads[s] * exp(-Double(t - s) / tau1)
                fatigue += loads[s] * exp(-Double(t - s) / tau2)
            }
            return p0 + k1 * fitness - k2 * fatigue
        }
    }

    /// A synthetic athlete: a year of varied training, performance from known parameters (the
    /// truth comes from `paperPerformance`, not from the code under test).
    static func synthetic(
        days: Int = 300, every: Int, model: BanisterModel, noise: Double, seed: UInt64
    ) -> ([Double], [PerformanceMarker]) {
        var rng = SplitMix64(seed: seed)
        let loads = (0..<days).map { day -> Double in
            let block = (day / 21) % 4  // build, build, build, recover
            let weekday = day % 7
            if weekday == 0 { return 0 }
            let base = [40.0, 60, 80, 25][block]
            return base * (weekday == 3 || weekday == 6 ? 1.8 : 0.8) * (0.8 + 0.4 * rng.unit())
        }
        let truth = paperPerformance(
            loads, p0: model.p0, k1: model.k1, k2: model.k2, tau1: model.tau1, tau2: model.tau2)
        let markers = stride(from: 30, to: days, by: every).map {
            PerformanceMarker(day: $0, value: truth[$0] + noise * (rng.unit() * 2 - 1))
        }
        return (loads, markers)
    }

    @Test func recoversKnownParametersWithRichData() throws {
        for (tau1, tau2, seed) in [(30.0, 10.0, 1 as UInt64), (50.0, 6.0, 2), (38.0, 13.0, 3)] {
            let truth = BanisterModel(p0: 45, k1: 0.004, k2: 0.012, tau1: tau1, tau2: tau2)
            let (loads, markers) = Self.synthetic(every: 5, model: truth, noise: 0.05, seed: seed)
            let fit = try #require(BanisterFitter.fit(loads: loads, markers: markers))
            #expect(fit.tauFitted)
            #expect(abs(fit.model.tau1 - tau1) / tau1 < 0.10, "τ1 \(fit.model.tau1) vs \(tau1)")
            #expect(abs(fit.model.tau2 - tau2) / tau2 < 0.10, "τ2 \(fit.model.tau2) vs \(tau2)")
            #expect(fit.rmse < 0.1)
            #expect(try #require(fit.predictionError) < 0.5)
            #expect(fit.confidence > 0.5)
        }
    }

    @Test func thinDataKeepsThePopulationTimeConstants() throws {
        let truth = BanisterModel(p0: 45, k1: 0.004, k2: 0.012, tau1: 30, tau2: 10)
        let (loads, markers) = Self.synthetic(every: 40, model: truth, noise: 0.2, seed: 4)
        let few = Array(markers.prefix(4))
        let fit = try #require(BanisterFitter.fit(loads: loads, markers: few))
        #expect(!fit.tauFitted && fit.model.tau1 == 42 && fit.model.tau2 == 7 && fit.confidence == 0)
        #expect(fit.reason.contains("stay at 42/7"))
        // Six markers within three weeks: enough markers, too short a span.
        let bunched = (0..<6).map { PerformanceMarker(day: 100 + $0 * 3, value: 45 + Double($0) * 0.1) }
        #expect(try #require(BanisterFitter.fit(loads: loads, markers: bunched)).tauFitted == false)
        #expect(BanisterFitter.fit(loads: loads, markers: []) == nil)
    }

    @Test func organizationPriorsPoolConfidentAthletesOnly() throws {
        let truth = BanisterModel(p0: 45, k1: 0.004, k2: 0.012, tau1: 30, tau2: 10)
        let rich = try (1...3).map { seed in
            try #require(
                BanisterFitter.fit(
                    loads: Self.synthetic(every: 5, model: truth, noise: 0.05, seed: UInt64(seed)).0,
                    markers: Self.synthetic(every: 5, model: truth, noise: 0.05, seed: UInt64(seed)).1))
        }
        let (thinLoads, thinMarkers) = Self.synthetic(every: 60, model: truth, noise: 0.2, seed: 9)
        let thin = try #require(BanisterFitter.fit(loads: thinLoads, markers: thinMarkers))
        let priors = EmpiricalPriors.from(rich + [thin])
        #expect(priors.athletes == 3)
        // Three athletes near 30/10 and three pseudo-athletes at 42/7: the geometric mean sits between.
        let expected1 = exp((rich.reduce(0) { $0 + log($1.model.tau1) } + 3 * log(42)) / 6)
        #expect(abs(priors.tau1 - expected1) < 1e-9 && priors.tau1 > 30 && priors.tau1 < 42)
        #expect(priors.tau2 > 7 && priors.tau2 < 10.5)
        #expect(EmpiricalPriors.from(Array(rich.prefix(2)) + [thin]) == .population)
        // A fit pulled toward those priors with thin data keeps them.
        let pulled = try #require(
            BanisterFitter.fit(loads: thinLoads, markers: thinMarkers, priorTau1: priors.tau1, priorTau2: priors.tau2))
        #expect(pulled.model.tau1 == priors.tau1 && pulled.model.tau2 == priors.tau2 && !pulled.tauFitted)
    }

    @Test func theRecursionIsThePapersSum() {
        var rng = SplitMix64(seed: 11)
        let loads = (0..<200).map { _ in rng.unit() < 0.2 ? 0 : 150 * rng.unit() }
        let model = BanisterModel(p0: 44, k1: 0.005, k2: 0.015, tau1: 37, tau2: 8)
        let paper = Self.paperPerformance(loads, p0: 44, k1: 0.005, k2: 0.015, tau1: 37, tau2: 8)
        let predicted = model.predict(loads)
        #expect(predicted.count == paper.count)
        #expect(zip(predicted, paper).allSatisfy { abs($0 - $1) < 1e-9 }, "predict differs from the paper's formula")
        // Causal: today's load does not change today's performance, only tomorrow's.
        var spiked = loads
        spiked[100] += 500
        #expect(model.predict(spiked)[100] == predicted[100] && model.predict(spiked)[101] < predicted[101])
    }

    @Test func aSingleImpulseDipsThenPeaksWhereTheFormulaSays() {
        let model = BanisterModel(p0: 0, k1: 1, k2: 2, tau1: 42, tau2: 7)
        var loads = Array(repeating: 0.0, count: 120)
        loads[0] = 100
        let p = model.predict(loads)
        let crossing = model.tau1 * model.tau2 / (model.tau1 - model.tau2) * log(model.k2 / model.k1)
        let peak =
            model.tau1 * model.tau2 / (model.tau1 - model.tau2) * log(model.k2 * model.tau1 / (model.k1 * model.tau2))
        // Discrete days: performance is negative until the crossing, positive after; the peak lands on the nearest day.
        #expect(p[Int(crossing.rounded(.down))] < 0 && p[Int(crossing.rounded(.up)) + 1] > 0)
        let peakDay = p.indices.max { p[$0] < p[$1] } ?? 0
        #expect(abs(Double(peakDay) - (peak + 1)) <= 1.5)
        #expect(abs(model.recoveryHalfLife - 7 * log(2)) < 1e-12)
    }
}
