import Foundation

/// How steady a run was mechanically, from its recorded samples: the variation of cadence, the
/// left/right imbalance, and the variation of pace over one-minute stretches. Rising over weeks on
/// steady runs, these are signs of fatigue the body shows before the athlete says so
/// (SCIENCE.md §5: stride asymmetry and pace stability).
public struct StrideMechanics: Sendable, Hashable, Codable {
    /// Coefficient of variation of cadence while running (0.03 = 3 %).
    public var cadenceVariation: Double?
    /// Mean distance of the balance from 50 %, in percentage points.
    public var asymmetry: Double?
    /// Coefficient of variation of speed over one-minute stretches.
    public var paceVariation: Double?

    public init(cadenceVariation: Double? = nil, asymmetry: Double? = nil, paceVariation: Double? = nil) {
        self.cadenceVariation = cadenceVariation
        self.asymmetry = asymmetry
        self.paceVariation = paceVariation
    }

    public var isEmpty: Bool { cadenceVariation == nil && asymmetry == nil && paceVariation == nil }

    /// Fewest samples (or one-minute stretches) before a figure is given.
    public static let minimumSamples = 60
    public static let minimumStretches = 5
    public static let stretchSeconds = 60.0
    /// Slower than this (m/s) is not running: walking breaks and stops are left out.
    public static let runningSpeed = 1.5

    /// Nil when the track has none of the three.
    public init?(_ track: Track) {
        let samples = track.segments.flatMap { $0 }
        let cadences = samples.compactMap(\.cadence).filter { $0 > 30 && $0 < 130 }
        let balances = samples.compactMap(\.balance).filter { $0 > 20 && $0 < 80 }
        var result = StrideMechanics()
        if cadences.count >= Self.minimumSamples, let mean = Series.mean(cadences), let sd = Series.sd(cadences),
            mean > 0
        {
            result.cadenceVariation = sd / mean
        }
        if balances.count >= Self.minimumSamples {
            result.asymmetry = balances.reduce(0) { $0 + abs($1 - 50) } / Double(balances.count)
        }
        result.paceVariation = Self.paceVariation(track)
        guard !result.isEmpty else { return nil }
        self = result
    }

    /// Speeds of consecutive one-minute stretches (device distance when recorded, else positions).
    static func paceVariation(_ track: Track) -> Double? {
        var speeds: [Double] = []
        for segment in track.segments {
            var along = 0.0
            var previous: TrackSample?
            var stretchStart: (time: Date, distance: Double)?
            for sample in segment {
                defer { previous = sample }
                guard let time = sample.time else { continue }
                if let device = sample.distance {
                    along = device
                } else if let before = previous, before.hasPosition, sample.hasPosition, let a = before.latitude,
                    let b = before.longitude, let c = sample.latitude, let d = sample.longitude
                {
                    along += Geo.haversine(a, b, c, d)
                }
                guard let start = stretchStart else { stretchStart = (time, along); continue }
                let seconds = time.timeIntervalSince(start.time)
                if seconds < 0 || seconds > Self.stretchSeconds * 3 {
                    stretchStart = (time, along)  // a clock jump or a long pause: start again
                } else if seconds >= Self.stretchSeconds {
                    let speed = (along - start.distance) / seconds
                    if speed >= Self.runningSpeed && speed < 12 { speeds.append(speed) }
                    stretchStart = (time, along)
                }
            }
        }
        guard speeds.count >= Self.minimumStretches, let mean = Series.mean(speeds), let sd = Series.sd(speeds),
            mean > 0
        else { return nil }
        return sd / mean
    }
}
