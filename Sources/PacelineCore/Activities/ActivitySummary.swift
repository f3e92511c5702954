import Foundation

/// What an activity file adds up to. Device totals win where the file has them; otherwise the
/// track is summed. Distance is never smoothed: only steps implying an impossible speed for the
/// sport are dropped (and counted).
public struct ActivitySummary: Sendable, Hashable {
    public struct Split: Sendable, Hashable {
        public let index: Int
        public let distanceMeters: Double
        public let seconds: Double

        public init(index: Int, distanceMeters: Double, seconds: Double) {
            self.index = index
            self.distanceMeters = distanceMeters
            self.seconds = seconds
        }
    }

    public var sport: ActivitySport
    public var startTime: Date?
    public var distanceMeters: Double
    public var elapsedSeconds: Double?
    public var timerSeconds: Double?
    public var movingSeconds: Double?
    public var averageHeartRate: Double?
    public var maxHeartRate: Double?
    public var averageCadence: Double?
    public var elevationGain: Double?
    public var elevationLoss: Double?
    public var points: Int
    public var droppedPoints: Int
    /// Heart-rate samples from the first reading to the last, and how many of them dropped out:
    /// no reading while the strap was recording, or a reading under 60 % of the session's median
    /// while moving (a strap losing contact). Many dropouts make the heart rate unreliable.
    public var heartRateSamples: Int
    public var heartRateDropouts: Int
    public var splits: [Split]

    /// A step slower than this (m/s) is standing still, for moving time.
    public static let movingSpeedThreshold = 0.5
    /// Elevation: a centred moving average over this many points, then changes under the
    /// hysteresis are ignored, so GPS noise does not inflate gain and loss.
    public static let elevationWindow = 5
    public static let elevationHysteresis = 1.0

    public init(_ track: Track, splitUnit: UnitSystem = .km) {
        sport = track.device?.sport ?? track.sport
        points = track.sampleCount
        var distance = 0.0, moving = 0.0, dropped = 0
        var hrSum = 0.0, hrCount = 0, hrMax: Double?
        var cadSum = 0.0, cadCount = 0
        var gain = 0.0, loss = 0.0, sawAltitude = false
        var splits: [Split] = []
        // Each timed sample's heart rate and whether it was moving (nil: no position to tell).
        var heart: [(hr: Double?, moving: Bool?)] = []
        let unit = splitUnit.metersPerUnit
        // Time along the track: positive steps within segments only (gaps between segments and
        // clock jumps backwards do not count), so splits are never negative.
        // Splits measure timed distance only: a stretch without timestamps cannot be split.
        var along = 0.0, lastBoundary = 0.0, timedDistance = 0.0
        var first: Date?, last: Date?
        let maxSpeed = sport.maxPlausibleSpeed

        for segment in track.segments {
            var previous: TrackSample?
            var altitudes: [Double] = []
            for sample in segment {
                if let time = sample.time {
                    first = min(first ?? time, time)
                    last = max(last ?? time, time)
                }
                if let hr = sample.heartRate { hrSum += hr; hrCount += 1; hrMax = max(hrMax ?? 0, hr) }
                if let cadence = sample.cadence { cadSum += cadence; cadCount += 1 }
                if sample.time != nil { heart.append((sample.heartRate, nil)) }
                guard sample.hasPosition, let lat = sample.latitude, let lon = sample.longitude else { continue }
                guard let before = previous, let pLat = before.latitude, let pLon = before.longitude else {
                    previous = sample
                    if let altitude = sample.altitude { altitudes.append(altitude) }
                    continue
                }
                let step = Geo.haversine(pLat, pLon, lat, lon)
                var seconds: Double?
                if let t0 = before.time, let t1 = sample.time { seconds = t1.timeIntervalSince(t0) }
                // Speed is judged only when time passed, and over at least a second: identical
                // timestamps say nothing about speed, and sub-second ones would make every step a spike.
                if let seconds, seconds > 0, step / max(seconds, 1) > maxSpeed { dropped += 1; continue }
                if let seconds, seconds > 0, !heart.isEmpty {
                    heart[heart.count - 1].moving = step / seconds >= Self.movingSpeedThreshold
                }
                // Splits: the time at each whole unit of distance, interpolated within the step.
                if let seconds, seconds > 0, step > 0 {
                    while (Double(splits.count) + 1) * unit <= timedDistance + step {
                        let boundary = (Double(splits.count) + 1) * unit
                        let at = along + seconds * (boundary - timedDistance) / step
                        splits.append(Split(index: splits.count + 1, distanceMeters: unit, seconds: at - lastBoundary))
                        lastBoundary = at
                    }
                    along += seconds
                    timedDistance += step
                    if step / seconds >= Self.movingSpeedThreshold { moving += seconds }
                }
                distance += step
                if let altitude = sample.altitude { altitudes.append(altitude) }
                previous = sample
            }
            if !altitudes.isEmpty {
                sawAltitude = true
                let (g, l) = Self.elevationChange(altitudes)
                gain += g
                loss += l
            }
        }
        let device = track.device
        // Indoor runs: no positions, but the device's cumulative distance.
        if distance == 0, let fromDevice = track.segments.flatMap({ $0 }).compactMap(\.distance).max() {
            distance = fromDevice
        }
        startTime = device?.startTime ?? first
        distanceMeters = device?.distanceMeters ?? distance
        elapsedSeconds = device?.elapsedSeconds ?? (first.flatMap { f in last.map { $0.timeIntervalSince(f) } })
        timerSeconds = device?.timerSeconds
        movingSeconds = first == nil ? nil : moving
        averageHeartRate = device?.averageHeartRate ?? (hrCount > 0 ? hrSum / Double(hrCount) : nil)
        maxHeartRate = device?.maxHeartRate ?? hrMax
        averageCadence = cadCount > 0 ? cadSum / Double(cadCount) : nil
        elevationGain = sawAltitude ? gain : nil
        elevationLoss = sawAltitude ? loss : nil
        droppedPoints = dropped
        (heartRateSamples, heartRateDropouts) = Self.heartRateDropouts(heart)
        self.splits = splits
    }

    /// Samples within the recorded span and the dropouts among them (see `heartRateDropouts`).
    static func heartRateDropouts(_ heart: [(hr: Double?, moving: Bool?)]) -> (samples: Int, dropouts: Int) {
        guard let first = heart.firstIndex(where: { $0.hr != nil }), let last = heart.lastIndex(where: { $0.hr != nil })
        else { return (0, 0) }
        let readings = heart[first...last].compactMap(\.hr).sorted()
        let median = readings[readings.count / 2]
        let dropouts = heart[first...last].filter { sample in
            guard let hr = sample.hr else { return true }
            return hr < 0.6 * median && sample.moving != false
        }.count
        return (last - first + 1, dropouts)
    }

    static func elevationChange(_ raw: [Double]) -> (gain: Double, loss: Double) {
        let half = elevationWindow / 2
        let smoothed = raw.indices.map { i -> Double in
            let lo = max(0, i - half), hi = min(raw.count - 1, i + half)
            return raw[lo...hi].reduce(0, +) / Double(hi - lo + 1)
        }
        guard var reference = smoothed.first else { return (0, 0) }
        var gain = 0.0, loss = 0.0
        for value in smoothed.dropFirst() {
            let change = value - reference
            if change >= elevationHysteresis {
                gain += change; reference = value
            } else if change <= -elevationHysteresis {
                loss -= change; reference = value
            }
        }
        return (gain, loss)
    }
}

public enum Geo {
    public static let earthRadius = 6_371_008.8  // mean radius, meters

    /// Great-circle distance in meters.
    public static func haversine(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let toRadians = Double.pi / 180
        let dLat = (lat2 - lat1) * toRadians, dLon = (lon2 - lon1) * toRadians
        let a =
            sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * toRadians) * cos(lat2 * toRadians) * sin(dLon / 2)
            * sin(dLon / 2)
        return 2 * earthRadius * asin(min(1, a.squareRoot()))
    }
}

/// The stable JSON of `paceline activity summary --json` (null where the file has no such data).
public struct ActivitySummaryJSON: Encodable, Sendable {
    struct Split: Encodable, Sendable {
        let index: Int
        let distance_m: Double
        let time_s: Double
    }
    let sport: String
    let start_time: String?
    let distance_m: Double
    let elapsed_s: Double?
    let timer_s: Double?
    let moving_s: Double?
    let avg_hr: Double?
    let max_hr: Double?
    let avg_cadence: Double?
    let elevation_gain_m: Double?
    let elevation_loss_m: Double?
    let points: Int
    let dropped_points: Int
    let splits: [Split]
    let sessions: [ActivitySummaryJSON]

    public init(_ summary: ActivitySummary, sessions: [ActivitySummary] = []) {
        func r(_ x: Double?) -> Double? { x.map { ($0 * 10).rounded() / 10 } }
        sport = summary.sport.rawValue
        start_time = summary.startTime.map(ISO8601.format)
        distance_m = (summary.distanceMeters * 10).rounded() / 10
        elapsed_s = summary.elapsedSeconds.map { $0.rounded() }
        timer_s = summary.timerSeconds.map { $0.rounded() }
        moving_s = summary.movingSeconds.map { $0.rounded() }
        avg_hr = r(summary.averageHeartRate)
        max_hr = summary.maxHeartRate
        avg_cadence = r(summary.averageCadence)
        elevation_gain_m = r(summary.elevationGain)
        elevation_loss_m = r(summary.elevationLoss)
        points = summary.points
        dropped_points = summary.droppedPoints
        splits = summary.splits.map {
            Split(index: $0.index, distance_m: $0.distanceMeters, time_s: ($0.seconds * 10).rounded() / 10)
        }
        self.sessions = sessions.map { ActivitySummaryJSON($0) }
    }

    enum CodingKeys: String, CodingKey {
        case sport, start_time, distance_m, elapsed_s, timer_s, moving_s, avg_hr, max_hr, avg_cadence, elevation_gain_m,
            elevation_loss_m, points, dropped_points, splits, sessions
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sport, forKey: .sport)
        try c.encode(start_time, forKey: .start_time)
        try c.encode(distance_m, forKey: .distance_m)
        try c.encode(elapsed_s, forKey: .elapsed_s)
        try c.encode(timer_s, forKey: .timer_s)
        try c.encode(moving_s, forKey: .moving_s)
        try c.encode(avg_hr, forKey: .avg_hr)
        try c.encode(max_hr, forKey: .max_hr)
        try c.encode(avg_cadence, forKey: .avg_cadence)
        try c.encode(elevation_gain_m, forKey: .elevation_gain_m)
        try c.encode(elevation_loss_m, forKey: .elevation_loss_m)
        try c.encode(points, forKey: .points)
        try c.encode(dropped_points, forKey: .dropped_points)
        try c.encode(splits, forKey: .splits)
        try c.encode(sessions, forKey: .sessions)
    }
}
