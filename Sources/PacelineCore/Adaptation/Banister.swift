import Foundation

/// The Banister impulse-response model (SCIENCE.md §4):
/// `p(t) = p0 + k1·Σ_(s<t) w(s)·e^(−(t−s)/τ1) − k2·Σ_(s<t) w(s)·e^(−(t−s)/τ2)`,
/// strictly causal: day s's load acts from day s+1, so `G(t) = (G(t−1) + w(t−1))·e^(−1/τ)`.
public struct BanisterModel: Sendable, Hashable, Codable {
    public var p0: Double
    public var k1: Double
    public var k2: Double
    public var tau1: Double
    public var tau2: Double

    public init(p0: Double, k1: Double, k2: Double, tau1: Double, tau2: Double) {
        self.p0 = p0
        self.k1 = k1
        self.k2 = k2
        self.tau1 = tau1
        self.tau2 = tau2
    }

    public static let populationTau1 = 42.0
    public static let populationTau2 = 7.0

    /// Recovery half-life, days: τ2·ln 2.
    public var recoveryHalfLife: Double { tau2 * log(2) }

    /// `G(t)` for every day t of `loads` (G(0) = 0).
    public static func impulse(_ loads: [Double], tau: Double) -> [Double] {
        let decay = exp(-1 / tau)
        var g = 0.0
        var out = [Double](repeating: 0, count: loads.count)
        for t in loads.indices {
            if t > 0 { g = (g + loads[t - 1]) * decay }
            out[t] = g
        }
        return out
    }

    /// Predicted performance on every day of `loads`.
    public func predict(_ loads: [Double]) -> [Double] {
        let g1 = Self.impulse(loads, tau: tau1), g2 = Self.impulse(loads, tau: tau2)
        return loads.indices.map { p0 + k1 * g1[$0] - k2 * g2[$0] }
    }
}

/// A performance marker: a day (index into the loads) and a value (a VDOT).
public struct PerformanceMarker: Sendable, Hashable {
    public let day: Int
    public let value: Double
    public init(day: Int, value: Double) {
        self.day = day
        self.value = value
    }
}

public struct BanisterFit: Sendable, Hashable {
    public let model: BanisterModel
    /// False when the data cannot identify the time constants: τ stay at 42/7 and only p0, k1, k2 are fitted.
    public let tauFitted: Bool
    public let rmse: Double
    public let markers: Int
    /// The range of τ2 among near-optimal fits (within 5 % of the best error): how sure the half-life is.
    public let tau2Range: ClosedRange<Double>
    /// Root-mean-square error of each marker predicted before it arrived (nil with too few markers).
    public let predictionError: Double?
    /// 0–1: from the spread of τ2 and the prediction error; 0 when τ are not fitted.
    public let confidence: Double
    public let reason: String

    /// The fitted time constants when they can be trusted (fitted, confidence ≥ 0.5): what the
    /// engine's fitness and fatigue then use instead of 42/7.
    public var confidentTau: (fitness: Double, fatigue: Double)? {
        tauFitted && confidence >= EmpiricalPriors.minimumConfidence ? (model.tau1, model.tau2) : nil
    }
}

/// Bounded, regularized least squares: a grid over τ1 and τ2 (linear least squares for p0, k1,
/// k2 at each point, k ≥ 0), then a finer grid around the best; the error is penalized by the
/// squared log-distance from the priors (42/7 by default, or the organization's), so that with
/// little data the fit stays near them.
public enum BanisterFitter {
    /// The identifiability rule (SCIENCE.md §4): τ are fitted only with this many markers over this many days.
    public static let minimumMarkers = 6
    public static let minimumSpanDays = 56
    public static let tau1Range = 10.0...80.0
    public static let tau2Range = 1.0...20.0
    /// Weight of the prior penalty: the error grows by this fraction per squared log-distance
    /// from the priors, divided by the number of markers.
    public static let priorWeight = 1.0

    public static func fit(
        loads: [Double], markers raw: [PerformanceMarker], priorTau1: Double = BanisterModel.populationTau1,
        priorTau2: Double = BanisterModel.populationTau2, validate: Bool = true
    ) -> BanisterFit? {
        let markers = raw.filter { $0.day >= 0 && $0.day < loads.count && $0.value.isFinite }
        guard !markers.isEmpty, loads.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        let span = (markers.map(\.day).max() ?? 0) - (markers.map(\.day).min() ?? 0)
        let identifiable = markers.count >= minimumMarkers && span >= minimumSpanDays
        let variance = max(Series.sd(markers.map(\.value)).map { $0 * $0 } ?? 1, 0.01)

        var cache: [Double: [Double]] = [:]
        func g(_ tau: Double) -> [Double] {
            if let hit = cache[tau] { return hit }
            let series = BanisterModel.impulse(loads, tau: tau)
            cache[tau] = series
            return series
        }
        func solve(_ tau1: Double, _ tau2: Double) -> (BanisterModel, Double) {
            let g1 = g(tau1), g2 = g(tau2)
            let rows = markers.map { (g1[$0.day], g2[$0.day], $0.value) }
            let (p0, k1, k2) = linearFit(rows)
            let model = BanisterModel(p0: p0, k1: k1, k2: k2, tau1: tau1, tau2: tau2)
            let sse = rows.reduce(0) { acc, r in
                let e = p0 + k1 * r.0 - k2 * r.1 - r.2; return acc + e * e
            }
            return (model, sse / Double(rows.count))
        }
        // The penalty is relative to the error and shrinks with the number of markers: it decides
        // only where the data leave the error flat (many τ fit equally well).
        func objective(_ mse: Double, _ tau1: Double, _ tau2: Double) -> Double {
            let d1 = log(tau1 / priorTau1), d2 = log(tau2 / priorTau2)
            return (mse + 1e-9 * variance) * (1 + priorWeight * (d1 * d1 + d2 * d2) / Double(markers.count))
        }

        guard identifiable else {
            let (model, mse) = solve(priorTau1, priorTau2)
            return BanisterFit(
                model: model, tauFitted: false, rmse: mse.squareRoot(), markers: markers.count,
                tau2Range: priorTau2...priorTau2,
                predictionError: nil, confidence: 0,
                reason:
                    "\(markers.count) performance marker\(markers.count == 1 ? "" : "s") over \(span) days: the time "
                    + "constants need at least \(minimumMarkers) over \(minimumSpanDays / 7) weeks, so they stay "
                    + "at \(Int(saturating: priorTau1))/\(Int(saturating: priorTau2)) days."
            )
        }
        var grid: [(Double, Double, BanisterModel, Double, Double)] = []  // tau1, tau2, model, mse, objective
        var tau1 = tau1Range.lowerBound
        while tau1 <= tau1Range.upperBound {
            var tau2 = tau2Range.lowerBound
            while tau2 <= tau2Range.upperBound && tau2 < tau1 {
                let (model, mse) = solve(tau1, tau2)
                grid.append((tau1, tau2, model, mse, objective(mse, tau1, tau2)))
                tau2 += 0.5
            }
            tau1 += 2
        }
        guard var best = grid.min(by: { $0.4 < $1.4 }) else { return nil }
        // Refine around the best point.
        let coarse = best
        for dt1 in stride(from: -2.0, through: 2.0, by: 0.25) {
            for dt2 in stride(from: -0.5, through: 0.5, by: 0.1) {
                let t1 = coarse.0 + dt1, t2 = coarse.1 + dt2
                guard tau1Range.contains(t1), tau2Range.contains(t2), t2 < t1 else { continue }
                let (model, mse) = solve(t1, t2)
                let value = objective(mse, t1, t2)
                if value < best.4 { best = (t1, t2, model, mse, value) }
            }
        }
        let near = grid.filter { $0.4 <= best.4 * 1.05 }.map(\.1) + [best.1]
        let low = near.min() ?? best.1, high = near.max() ?? best.1

        // Validation: each later marker predicted by a fit on the markers before it.
        var predictionError: Double? = nil
        if validate && markers.count > minimumMarkers {
            let sorted = markers.sorted { $0.day < $1.day }
            var errors: [Double] = []
            for i in max(minimumMarkers, sorted.count - 8)..<sorted.count {
                guard
                    let earlier = fit(
                        loads: loads, markers: Array(sorted[..<i]), priorTau1: priorTau1, priorTau2: priorTau2,
                        validate: false)
                else { continue }
                let predicted = earlier.model.predict(Array(loads[0...sorted[i].day])).last ?? earlier.model.p0
                errors.append(predicted - sorted[i].value)
            }
            if !errors.isEmpty {
                predictionError = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
            }
        }
        let spread = (high - low) / max(best.1, 0.5)
        let sd = variance.squareRoot()
        let predictive = predictionError.map { max(0, 1 - $0 / max(sd, 0.1)) } ?? 0.5
        let confidence = max(0, min(1, (1 - min(spread, 1)) * 0.5 + predictive * 0.5))
        return BanisterFit(
            model: best.2, tauFitted: true, rmse: best.3.squareRoot(), markers: markers.count, tau2Range: low...high,
            predictionError: predictionError, confidence: confidence,
            reason: "Fitted from \(markers.count) markers over \(span) days.")
    }

    /// p0, k1 and k2 for given time constants (linear least squares, k ≥ 0): what a model with known τ
    /// says from `markers` alone — the goal-time rule's prediction from the markers before a new one.
    public static func refit(
        loads: [Double], markers: [PerformanceMarker], tau1: Double, tau2: Double
    ) -> BanisterModel? {
        let usable = markers.filter { $0.day >= 0 && $0.day < loads.count && $0.value.isFinite }
        guard !usable.isEmpty, tau1 > 0, tau2 > 0, tau1.isFinite, tau2.isFinite else { return nil }
        let g1 = BanisterModel.impulse(loads, tau: tau1), g2 = BanisterModel.impulse(loads, tau: tau2)
        let (p0, k1, k2) = linearFit(usable.map { (g1[$0.day], g2[$0.day], $0.value) })
        return BanisterModel(p0: p0, k1: k1, k2: k2, tau1: tau1, tau2: tau2)
    }

    /// Least squares for `y = p0 + k1·a − k2·b` with k1, k2 ≥ 0 (dropping a term that comes out negative).
    static func linearFit(_ rows: [(Double, Double, Double)]) -> (Double, Double, Double) {
        let meanY = rows.reduce(0) { $0 + $1.2 } / Double(rows.count)
        func full() -> (Double, Double, Double)? {
            // Normal equations for [1, a, −b].
            var m = [[Double]](repeating: [0, 0, 0], count: 3)
            var v = [0.0, 0.0, 0.0]
            for r in rows {
                let x = [1, r.0, -r.1]
                for i in 0..<3 {
                    v[i] += x[i] * r.2
                    for j in 0..<3 { m[i][j] += x[i] * x[j] }
                }
            }
            for i in 1..<3 { m[i][i] *= 1 + 1e-9; m[i][i] += 1e-12 }  // a whisper of ridge for singular designs
            guard let s = solve3(m, v) else { return nil }
            return (s[0], s[1], s[2])
        }
        func single(_ column: (Double, Double, Double) -> Double, sign: Double) -> (Double, Double)? {
            let xs = rows.map { column($0.0, $0.1, $0.2) * sign }
            let mx = xs.reduce(0, +) / Double(xs.count)
            let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
            guard sxx > 0 else { return nil }
            let sxy = zip(xs, rows).reduce(0) { $0 + ($1.0 - mx) * ($1.1.2 - meanY) }
            let k = max(0, sxy / sxx)
            return (meanY - k * mx, k)
        }
        if let (p0, k1, k2) = full(), k1 >= 0, k2 >= 0, p0.isFinite { return (p0, k1, k2) }
        let onlyFitness = single({ a, _, _ in a }, sign: 1)
        let onlyFatigue = single({ _, b, _ in b }, sign: -1)
        func sse(_ p0: Double, _ k1: Double, _ k2: Double) -> Double {
            rows.reduce(0) { acc, r in
                let e = p0 + k1 * r.0 - k2 * r.1 - r.2; return acc + e * e
            }
        }
        var best = (meanY, 0.0, 0.0)
        if let f = onlyFitness, sse(f.0, f.1, 0) < sse(best.0, best.1, best.2) { best = (f.0, f.1, 0) }
        if let f = onlyFatigue, sse(f.0, 0, f.1) < sse(best.0, best.1, best.2) { best = (f.0, 0, f.1) }
        return best
    }

    static func solve3(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a
        var v = b
        for col in 0..<3 {
            var pivot = col
            for row in col..<3 where abs(m[row][col]) > abs(m[pivot][col]) { pivot = row }
            guard abs(m[pivot][col]) > 1e-12 else { return nil }
            m.swapAt(col, pivot)
            v.swapAt(col, pivot)
            for row in 0..<3 where row != col {
                let f = m[row][col] / m[col][col]
                for k in col..<3 { m[row][k] -= f * m[col][k] }
                v[row] -= f * v[col]
            }
        }
        let x = (0..<3).map { v[$0] / m[$0][$0] }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}

/// Priors for the time constants learned across an organization's athletes (empirical Bayes):
/// the geometric mean of τ1 and τ2 over athletes whose own fits are confident, shrunk toward the
/// population values 42/7 by the number of athletes (`k` pseudo-athletes at 42/7). With fewer than
/// `minimumAthletes` confident fits, the population values.
public struct EmpiricalPriors: Sendable, Hashable {
    public let tau1: Double
    public let tau2: Double
    /// Confident athletes they come from (0 = the population values).
    public let athletes: Int

    public static let minimumAthletes = 3
    public static let minimumConfidence = 0.5
    public static let pseudoAthletes = 3.0
    public static let population = EmpiricalPriors(
        tau1: BanisterModel.populationTau1, tau2: BanisterModel.populationTau2, athletes: 0)

    public init(tau1: Double, tau2: Double, athletes: Int) {
        self.tau1 = tau1
        self.tau2 = tau2
        self.athletes = athletes
    }

    public static func from(_ fits: [BanisterFit]) -> EmpiricalPriors {
        let confident = fits.filter { $0.tauFitted && $0.confidence >= minimumConfidence }
        guard confident.count >= minimumAthletes else { return population }
        let n = Double(confident.count)
        func pooled(_ values: [Double], _ prior: Double) -> Double {
            exp((values.reduce(0) { $0 + log($1) } + pseudoAthletes * log(prior)) / (n + pseudoAthletes))
        }
        return EmpiricalPriors(
            tau1: pooled(confident.map(\.model.tau1), BanisterModel.populationTau1),
            tau2: pooled(confident.map(\.model.tau2), BanisterModel.populationTau2), athletes: confident.count)
    }
}
