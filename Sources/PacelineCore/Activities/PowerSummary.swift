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

    public init(averagePower: Double, normalizedPower: Double, seconds: Double) {
        self.averagePower = averagePower
        self.normalizedPower = normalizedPower
        self.seconds = seconds
    }

    /// Nil when the track has fewer than `window` seconds of power readings.
    public init?(_ track: Track) {
        let readings = track.segments.joined()
            .compactMap { s -> (Double, Double)? in
                guard let time = s.time?.timeIntervalSince1970, let power = s.power, power.isFinite, power >= 0,
                    power < 3000
                else { return nil }
                return (time, power)
            }
            .sorted { $0.0 < $1.0 }
        guard let first = readings.first, let last = readings.last else { return nil }
        let span = last.0 - first.0
        guard span.isFinite, span >= Double(Self.window), span <= Double(Self.maxSeconds) else { return nil }
        let count = Int(span) + 1
        var series = [Double](repeating: 0, count: count)
        var next = 0
        var current: (time: Double, power: Double) = first
        for second in 0..<count {
            let t = first.0 + Double(second)
            while next < readings.count && readings[next].0 <= t {
                current = readings[next]
                next += 1
            }
            series[second] = t - current.time <= Self.holdSeconds ? current.power : 0
        }
        self.init(series: series)
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
        self.init(averagePower: average, normalizedPower: pow(sumFourth / n, 0.25), seconds: Double(series.count))
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
