import Foundation

/// Issue 19, item 5: thresholds read from what the athlete did, proposed like any adaptation (the coach or
/// the athlete accepts; zones, watts and paces follow). VDOT from races stays the outperforming rule's.
///
/// - **FTP**: 95 % of the best 20-minute power of a ride in the last `thresholdLookbackDays` (Allen &
///   Coggan's 20-minute test). Only a rise is read from an ordinary ride — a ride below FTP is no test —
///   and it must clear the current FTP by `ftpRiseFraction` (a day's noise is not a new threshold).
/// - **Threshold heart rate** (run or bike): the best 20-minute heart rate of a 25–75-minute session the
///   athlete rated RPE ≥ `lthrTestRPE` — Friel's 30-minute solo effort, whose last 20 minutes' average is
///   the LTHR. A test moves it either way, by at least `lthrChangeBPM`.
/// - **CSS**: a 400 m and a 200 m swim (each within 5 %) logged within `cssTestDays` of each other, the 200
///   faster per 100 m: CSS = (t400 − t200) ÷ 2 per 100 m, when it differs by `cssChangeSeconds` or more.
extension Engine {
    public static func thresholdProposals(_ input: EngineInput) -> [Proposal] {
        [detectFTP(input), detectLTHR(input, sport: .run), detectLTHR(input, sport: .bike), detectCSS(input)]
            .compactMap { $0 }
    }

    static func recentDone(_ input: EngineInput, _ sport: Sport) -> [ActivityEntry] {
        let from = input.today.adding(days: -(Thresholds.thresholdLookbackDays - 1))
        return input.activities.filter {
            $0.sport == sport && $0.status == .done && $0.date >= from && $0.date <= input.today
        }
    }

    static func detectFTP(_ input: EngineInput) -> Proposal? {
        let rides = recentDone(input, .bike).compactMap { ride in ride.bestPower20Minutes.map { (ride, $0) } }
        guard let (ride, best) = rides.max(by: { $0.1 < $1.1 }) else { return nil }
        let estimate = (best * Thresholds.ftpFraction).rounded()
        guard ThresholdKind.ftp.plausible.contains(estimate) else { return nil }
        let current = input.physiology.thresholds(on: input.today).ftp
        if let current, estimate < current * (1 + Thresholds.ftpRiseFraction) { return nil }
        let from = current.map { "FTP \(ThresholdKind.ftp.text($0))" } ?? "No FTP yet"
        return Proposal(
            kind: .threshold,
            title: "FTP \(ThresholdKind.ftp.change(from: current, to: estimate))",
            explanation:
                "\(Weekday(ride.date).label)'s ride (\(ride.date)) held \(Int(saturating: best.rounded())) W for "
                + "its best 20 minutes; 95 % of that is \(ThresholdKind.ftp.text(estimate)). \(from): power zones, "
                + "the watts of every ride and the load of rides follow.",
            changes: [.setThreshold(kind: .ftp, from: current, to: estimate, validFrom: ride.date)],
            fingerprint: "threshold:ftp:\(ride.date):\(Int(saturating: estimate))")
    }

    static func detectLTHR(_ input: EngineInput, sport: Sport) -> Proposal? {
        let kind: ThresholdKind = sport == .bike ? .lthrBike : .lthrRun
        let tests = recentDone(input, sport).compactMap { e -> (ActivityEntry, Double)? in
            guard let rpe = e.rpe, rpe >= Thresholds.lthrTestRPE, !e.heartRateUnreliable,
                let hr = e.effortHeartRate
            else { return nil }
            return (e, hr)
        }
        // The latest test speaks for now.
        guard let (test, hr) = tests.last else { return nil }
        let estimate = hr.rounded()
        guard kind.plausible.contains(estimate) else { return nil }
        let current = input.physiology.thresholds(on: input.today).heartRate(for: sport).map(\.lthr)
        if let current, abs(estimate - current) < Thresholds.lthrChangeBPM { return nil }
        let what = sport == .bike ? "ride" : "run"
        return Proposal(
            kind: .threshold,
            title: "Threshold heart rate (\(sport == .bike ? "cycling" : "running")) "
                + kind.change(from: current, to: estimate),
            explanation:
                "\(Weekday(test.date).label)'s \(what) (\(test.date)) at RPE \(test.rpe ?? 0) averaged "
                + "\(kind.text(estimate)) over its hardest 20 minutes — the threshold heart rate of a 30-minute "
                + "solo effort (Friel). Heart-rate zones of every \(what) follow.",
            changes: [.setThreshold(kind: kind, from: current, to: estimate, validFrom: test.date)],
            fingerprint: "threshold:\(kind.rawValue):\(test.date):\(Int(saturating: estimate))")
    }

    static func detectCSS(_ input: EngineInput) -> Proposal? {
        func clock(_ e: ActivityEntry) -> String { TimeFormat.clock(e.movingSeconds ?? e.durationSeconds ?? 0) }
        func timed(_ meters: Double) -> [ActivityEntry] {
            recentDone(input, .swim).filter { e in
                guard let d = e.distanceMeters, let t = e.movingSeconds ?? e.durationSeconds, t > 0 else {
                    return false
                }
                return abs(d - meters) <= meters * 0.05
            }
        }
        let fours = timed(400), twos = timed(200)
        var best: (four: ActivityEntry, two: ActivityEntry, css: Double)?
        for four in fours {
            for two in twos where abs(four.date.days(until: two.date)) <= Thresholds.cssTestDays {
                guard let t4 = four.movingSeconds ?? four.durationSeconds,
                    let t2 = two.movingSeconds ?? two.durationSeconds, let d4 = four.distanceMeters,
                    let d2 = two.distanceMeters,
                    let css = SwimZones.fromTest(seconds400: t4 * 400 / d4, seconds200: t2 * 200 / d2)
                else { continue }
                let latest = max(four.date, two.date)
                if best.map({ max($0.four.date, $0.two.date) <= latest }) ?? true { best = (four, two, css) }
            }
        }
        guard let best else { return nil }
        let estimate = best.css.rounded()
        guard ThresholdKind.css.plausible.contains(estimate) else { return nil }
        let current = input.physiology.thresholds(on: input.today).cssPer100m
        if let current, abs(estimate - current) < Thresholds.cssChangeSeconds { return nil }
        let day = max(best.four.date, best.two.date)
        return Proposal(
            kind: .threshold,
            title: "CSS \(ThresholdKind.css.change(from: current, to: estimate))",
            explanation:
                "Your 400 m (\(best.four.date), \(clock(best.four))) and 200 m (\(best.two.date), \(clock(best.two))) "
                + "give a critical swim speed of \(ThresholdKind.css.text(estimate)) — (t400 − t200) ÷ 2. "
                + "Swim paces and the load of swims follow.",
            changes: [.setThreshold(kind: .css, from: current, to: estimate, validFrom: day)],
            fingerprint: "threshold:css:\(day):\(Int(saturating: estimate))")
    }
}
