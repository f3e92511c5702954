import Foundation

/// A ride's power from a file's samples: average and normalized power (Coggan), and against an FTP
/// the intensity factor and training stress score on the engine's scale (100 = an hour at threshold).
///
/// The samples are resampled to one a second (devices with "smart recording" write irregularly): a
/// second takes the last reading before it; a gap longer than `holdSeconds` counts as 0 W (stopped,
/// coasting with the head unit paused). Normalized power: the 30-second rolling mean of that series,
/// raised to the 4th power, averaged, and the 4th root taken (Allen & Coggan 2010).
public struct PowerSummary: Sendable, Hashable {
    public static let holdSeconds = 5.0
    public static let window = 30
    /// The longest ride read (a day): enough for any event, bounded for memory.
    public static let maxSeconds = 86_400

    public let averagePower: Double
    public let normalizedPower: Double
    /// Seconds in the 1-second series (first to last power reading).
    public let seconds: Double
    /// The best 20-minute mean power (nil for a ride shorter than 20 minutes): × 0.95 estimates FTP
    /// (Allen & Coggan's 20-minute test).
    public let best20Minutes: Double?
    public static let testWindow = 1200

    public init(averagePower: Double, normalizedPower: Double, seconds: Double, best20Minutes: Double? = nil) {
        self.averagePower = averagePower
        self.normalizedPower = normalizedPower
        self.seconds = seconds
        self.best20Minutes = best20Minutes
    }

    /// Nil when the track has fewer than `window` seconds of power readings.
    public init?(_ track: Track) {
        let series = Self.perSecond(track) { s in
            s.power.flatMap { $0.isFinite && $0 >= 0 && $0 < 3000 ? $0 : nil }
        }
        guard let series else { return nil }
        self.init(series: series.map { $0 ?? 0 })
    }

    /// A track's readings of one kind resampled to one a second, from the first reading to the last: a
    /// second takes the last reading before it, or nil when that is older than `holdSeconds`. Nil when the
    /// readings span less than `window` seconds or more than `maxSeconds`.
    static func perSecond(_ track: Track, _ value: (TrackSample) -> Double?) -> [Double?]? {
        let readings = track.segments.joined()
            .compactMap { s -> (Double, Double)? in
                guard let time = s.time?.timeIntervalSince1970, time.isFinite, let v = value(s) else { return nil }
                return (time, v)
            }
            .sorted { $0.0 < $1.0 }
        guard let first = readings.first, let last = readings.last else { return nil }
        let span = last.0 - first.0
        guard span.isFinite, span >= Double(Self.window), span <= Double(Self.maxSeconds) else { return nil }
        let count = Int(span) + 1
        var series = [Double?](repeating: nil, count: count)
        var next = 0
        var current: (time: Double, value: Double) = first
        for second in 0..<count {
            let t = first.0 + Double(second)
            while next < readings.count && readings[next].0 <= t {
                current = readings[next]
                next += 1
            }
            series[second] = t - current.time <= Self.holdSeconds ? current.value : nil
        }
        return series
    }

    /// The highest mean of `window` consecutive seconds (nil when the series is shorter).
    static func bestMean(_ series: [Double], window: Int) -> Double? {
        guard window > 0, series.count >= window else { return nil }
        var sum = series[0..<window].reduce(0, +)
        var best = sum
        for i in window..<series.count {
            sum += series[i] - series[i - window]
            best = max(best, sum)
        }
        return best / Double(window)
    }

    /// From a 1-second series of watts.
    public init?(series: [Double]) {
        guard series.count >= Self.window else { return nil }
        let average = series.reduce(0, +) / Double(series.count)
        var rolling = series[0..<Self.window].reduce(0, +)
        var sumFourth = pow(rolling / Double(Self.window), 4)
        var n = 1.0
        for i in Self.window..<series.count {
            rolling += series[i] - series[i - Self.window]
            sumFourth += pow(max(0, rolling) / Double(Self.window), 4)
            n += 1
        }
        self.init(
            averagePower: average, normalizedPower: pow(sumFourth / n, 0.25), seconds: Double(series.count),
            best20Minutes: Self.bestMean(series, window: Self.testWindow))
    }

    /// NP / FTP.
    public func intensityFactor(ftp: Double) -> Double? {
        guard ftp.isFinite, ftp > 0 else { return nil }
        return normalizedPower / ftp
    }

    /// TSS = seconds × NP × IF / (FTP × 3600) × 100: an hour at FTP is 100.
    public func trainingStress(ftp: Double) -> Double? {
        guard let factor = intensityFactor(ftp: ftp) else { return nil }
        return seconds * normalizedPower * factor / (ftp * 3600) * 100
    }
}

/// The heart rate of a hard sustained effort: the best 20-minute mean of a file's heart rate, taken from
/// an activity of 25–75 minutes. Of a 30-minute solo time trial that is the last 20 minutes' average —
/// Friel's estimate of the threshold heart rate. Seconds without a reading (a dropout longer than
/// `PowerSummary.holdSeconds`) break the window.
public enum EffortHeartRate {
    public static let activityMinutes = 25.0...75.0

    public static func best20Minutes(_ track: Track) -> Double? {
        guard
            let series = PowerSummary.perSecond(
                track,
                { s in
                    s.heartRate.flatMap { $0.isFinite && $0 >= 30 && $0 <= 240 ? $0 : nil }
                }),
            activityMinutes.contains(Double(series.count) / 60)
        else { return nil }
        let window = PowerSummary.testWindow
        var best: Double?
        var sum = 0.0, run = 0
        for (i, value) in series.enumerated() {
            guard let value else {
                sum = 0
                run = 0
                continue
            }
            sum += value
            run += 1
            if run > window, let dropped = series[i - window] {
                sum -= dropped
                run -= 1
            }
            if run == window { best = max(best ?? 0, sum / Double(window)) }
        }
        return best
    }
}
