import Foundation

/// Workouts in the words coaches write: "6 × (1000 m at I pace 3:50–4:00/km, 400 m recovery jog)".
/// With an athlete's zones the paces are theirs; without, the zone is named.
public struct WorkoutWords: Sendable {
    public let units: UnitSystem
    public let zones: PaceZones?
    public let heartRate: HeartRateZones?
    /// A hot day's adjustment: each pace target is followed by the heat-adjusted pace.
    public let heat: HeatAdjustment?
    /// FTP, threshold heart rates and CSS: watts for power blocks and rides, Friel's heart rates, swim paces.
    public let thresholds: SportThresholds
    /// The workout's sport, once `forWorkout` named it: a swim's pace is per 100 m, a ride's intensity
    /// is watts, and each sport has its own threshold heart rate.
    public let sport: Sport?

    public init(
        units: UnitSystem, zones: PaceZones? = nil, heartRate: HeartRateZones? = nil, heat: HeatAdjustment? = nil,
        thresholds: SportThresholds = SportThresholds(), sport: Sport? = nil
    ) {
        self.units = units
        self.zones = zones
        self.heartRate = heartRate
        self.heat = heat
        self.thresholds = thresholds
        self.sport = sport
    }

    /// The same words for one workout: its sport, and its own heat adjustment, if it has one.
    public func forWorkout(_ workout: Workout) -> WorkoutWords {
        WorkoutWords(
            units: units, zones: zones, heartRate: heartRate, heat: workout.heat, thresholds: thresholds,
            sport: workout.sport)
    }

    /// One line per top-level block.
    public func steps(_ blocks: [WorkoutBlock]) -> [String] {
        blocks.map { describe($0, topLevel: true) }
    }

    public func describe(_ block: WorkoutBlock, topLevel: Bool = false, repeated: Bool = false) -> String {
        if block.type == .interval {
            let inner = block.children.map { describe($0, repeated: repeated || block.repeatCount > 1) }.joined(
                separator: ", ")
            return block.repeatCount > 1 ? "\(block.repeatCount) × (\(inner))" : inner
        }
        let length = lengthText(block)
        let target = targetText(block, shortRepeat: Self.isShortRepeat(block, repeated: repeated))
        let body: String
        switch block.type {
        case .warmUp: body = "Warm-up \(length) \(target)"
        case .coolDown: body = "Cool-down \(length) \(target)"
        case .recoveryRun: body = block.pace == .z1 ? "\(length) recovery jog" : "\(length) recovery \(target)"
        case .run, .interval: body = "\(length) \(target)"
        }
        return block.repeatCount > 1 ? "\(block.repeatCount) × \(body)" : body
    }

    func lengthText(_ block: WorkoutBlock) -> String {
        switch block.lengthTarget {
        case .distance where sport == .swim: Self.swimDistance(block.distanceMeters ?? 0, units: units)
        case .distance: Self.distance(block.distanceMeters ?? 0, units: units)
        case .duration: Self.duration(block.durationSeconds ?? 0)
        }
    }

    /// Repeats of a mile or less (SCIENCE.md §6: they take half the heat adjustment).
    public static func isShortRepeat(_ block: WorkoutBlock, repeated: Bool) -> Bool {
        guard repeated || block.repeatCount > 1 else { return false }
        if let d = block.distanceMeters, block.lengthTarget == .distance { return d <= Conditions.shortRepeatMeters }
        // A timed repeat: a mile at about 6 minutes or less.
        return (block.durationSeconds ?? 0) <= 360
    }

    public func targetText(_ block: WorkoutBlock, shortRepeat: Bool = false) -> String {
        let zone = block.pace
        switch block.intensityTarget {
        case .pace where sport == .swim:
            let middle = zone == .z3 ? "at CSS pace" : "at zone \(zone.number) pace"
            let name = zone == .z1 ? "easy" : zone == .z6 ? "sprint" : middle
            guard let swim = thresholds.swim else { return "\(name) (\(zone.rawValue))" }
            let r = swim.range(zone)
            return "\(name) \(TimeFormat.clock(r.fast))–\(TimeFormat.clock(r.slow))/100 m"
        case .pace where sport == .bike, .power:
            guard let power = thresholds.power else { return "in power zone \(zone.number)" }
            let r = power.range(zone)
            return "at \(r.lowerBound)–\(r.upperBound) W (zone \(zone.number))"
        case .pace:
            let name = zone == .z1 ? "easy" : (zone == .z6 ? "sprint" : "at \(zone.letter) pace")
            guard let zones else { return "\(name) (\(zone.rawValue))" }
            let r = zones.range(zone)
            let fast = TimeFormat.clock(r.fast * units.metersPerUnit / 1000)
            let text = "\(name) \(fast)–\(TimeFormat.pace(secondsPerKm: r.slow, units: units))"
            guard let heat else { return text }
            if heat.hardRunningNotAdvised { return text + " [too hot: by feel]" }
            let f = 1 + heat.fraction(shortRepeat: shortRepeat)
            guard f > 1 else { return text }
            let hotFast = TimeFormat.clock(r.fast * f * units.metersPerUnit / 1000)
            let hotSlow = TimeFormat.pace(secondsPerKm: r.slow * f, units: units)
            return text + " [in the heat \(hotFast)–\(hotSlow)]"
        case .heartrate:
            // The sport's threshold heart rate (Friel) when known, else heart-rate reserve (Karvonen).
            guard let r = thresholds.heartRate(for: sport)?.range(zone) ?? heartRate?.range(zone) else {
                return "in heart-rate zone \(zone.number)"
            }
            return "at heart rate \(r.lowerBound)–\(r.upperBound) bpm (zone \(zone.number))"
        }
    }

    /// Swims in metres (yards for an athlete who uses miles), whatever the length.
    public static func swimDistance(_ meters: Double, units: UnitSystem) -> String {
        units == .mi ? "\(Int(saturating: (meters / 0.9144).rounded())) yd" : "\(Int(saturating: meters.rounded())) m"
    }

    /// Short distances in meters (track language), longer ones in the viewer's units.
    public static func distance(_ meters: Double, units: UnitSystem) -> String {
        if meters < 1600 || (units == .km && meters < 2000 && meters.truncatingRemainder(dividingBy: 100) == 0) {
            return "\(Int(saturating: meters)) m"
        }
        let value = meters / units.metersPerUnit
        let text =
            value == value.rounded() && abs(value) < 1e15
            ? String(Int(saturating: value)) : String(format: "%.1f", value)
        return "\(text) \(units.label)"
    }

    public static func duration(_ seconds: Double) -> String {
        let total = Int(saturating: seconds)
        if total < 120 { return "\(total) s" }
        let hours = total / 3600, minutes = (total % 3600) / 60, rest = total % 60
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        return rest > 0 ? "\(minutes) min \(rest) s" : "\(minutes) min"
    }
}
