import Foundation

/// One reason a workout cannot be saved, with where it is ("blocks 2 › step 1").
public struct WorkoutIssue: Sendable, Hashable, CustomStringConvertible {
    /// Block path: indexes from the top level down; empty for the workout's own fields.
    public let path: [Int]
    public let field: String
    public let message: String

    public var description: String {
        path.isEmpty ? message : "Block \(path.map { String($0 + 1) }.joined(separator: "."))" + ": " + message
    }
}

/// The rules a workout must satisfy, named once.
public enum WorkoutRules {
    public static let maxBlocks = 100
    public static let maxRepeat = 100
    public static let maxBlockDistance = 100_000.0  // 100 km
    /// A ride's block may be a whole event (a 200 km sportive), up to the total's limit.
    public static let maxRideBlockDistance = 500_000.0
    public static let maxBlockDuration = 12 * 3600.0  // 12 h
    public static let maxTotalDistance = 500_000.0  // 500 km (a long ride)
    public static let maxTotalDuration = 24 * 3600.0
    public static let maxNotesLength = 20_000
    public static let maxNameLength = 100

    /// All problems, in order; empty when the workout is valid.
    public static func validate(_ workout: Workout) -> [WorkoutIssue] {
        var issues: [WorkoutIssue] = []
        let name = workout.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { issues.append(.init(path: [], field: "name", message: "A workout needs a name.")) }
        if name.count > maxNameLength {
            issues.append(
                .init(path: [], field: "name", message: "The name must be at most \(maxNameLength) characters."))
        }
        if workout.subtype.sport != workout.sport {
            issues.append(
                .init(
                    path: [], field: "subtype",
                    message: "“\(workout.subtype.label)” is not a \(workout.sport.rawValue) workout."))
        }
        if let d = workout.targetDistanceMeters, !(d.isFinite && d > 0 && d <= maxTotalDistance) {
            issues.append(
                .init(path: [], field: "target_distance", message: "The target distance must be between 0 and 500 km."))
        }
        if let t = workout.targetDurationSeconds, !(t.isFinite && t > 0 && t <= maxTotalDuration) {
            issues.append(
                .init(
                    path: [], field: "target_duration", message: "The target duration must be between 0 and 24 hours."))
        }
        if workout.notes.count > maxNotesLength {
            issues.append(
                .init(path: [], field: "notes", message: "Notes must be at most \(maxNotesLength) characters."))
        }
        if workout.blockCount > maxBlocks {
            issues.append(
                .init(
                    path: [], field: "blocks",
                    message: "A workout has at most \(maxBlocks) blocks (this one has \(workout.blockCount))."))
            return issues
        }
        for (index, block) in workout.blocks.enumerated() {
            validate(block, path: [index], nested: false, sport: workout.sport, into: &issues)
        }
        if issues.isEmpty {
            let totals = WorkoutTotals(workout.blocks, zones: nil)
            if totals.distanceMeters > maxTotalDistance || totals.durationSeconds > maxTotalDuration {
                issues.append(
                    .init(
                        path: [], field: "blocks",
                        message: "The blocks add up to more than 500 km or 24 hours: check the repeats."))
            }
        }
        return issues
    }

    static func validate(
        _ block: WorkoutBlock, path: [Int], nested: Bool, sport: Sport, into issues: inout [WorkoutIssue]
    ) {
        func add(_ field: String, _ message: String) {
            issues.append(.init(path: path, field: field, message: message))
        }
        if !(1...maxRepeat).contains(block.repeatCount) { add("repeat", "Repeat must be between 1 and \(maxRepeat).") }
        if nested && ![.run, .recoveryRun].contains(block.type) {
            add("type", "Inside an interval set only run and recovery steps are allowed.")
        }
        if block.type == .interval {
            if block.children.isEmpty { add("children", "An interval set needs at least one step to repeat.") }
            for (index, child) in block.children.enumerated() {
                validate(child, path: path + [index], nested: true, sport: sport, into: &issues)
            }
            return
        }
        if !block.children.isEmpty { add("children", "Only interval sets have steps inside them.") }
        switch block.lengthTarget {
        case .distance:
            guard let d = block.distanceMeters else {
                add("distance", "This block is measured by distance: enter the distance."); break
            }
            let limit = sport == .bike ? maxRideBlockDistance : maxBlockDistance
            if !(d.isFinite && d > 0 && d <= limit) {
                add("distance", "The distance must be more than 0 and at most \(Int(limit / 1000)) km.")
            }
        case .duration:
            guard let t = block.durationSeconds else {
                add("duration", "This block is measured by time: enter the duration."); break
            }
            if !(t.isFinite && t > 0 && t <= maxBlockDuration) {
                add("duration", "The duration must be more than 0 and at most 12 hours.")
            }
        }
    }
}

/// Distance and time of blocks. With an athlete's zones the ungoverned quantity is estimated at
/// the middle of the block's zone; without, only what the blocks state is summed.
public struct WorkoutTotals: Sendable, Hashable {
    public var distanceMeters: Double = 0
    public var durationSeconds: Double = 0
    /// False when some block's distance or time could not be known (no paces in view).
    public var isComplete = true

    public init(_ blocks: [WorkoutBlock], zones: PaceZones?) {
        for block in blocks { add(block, times: 1, zones: zones) }
    }

    private mutating func add(_ block: WorkoutBlock, times: Int, zones: PaceZones?) {
        let count = times * max(block.repeatCount, 1)
        if block.type == .interval {
            for child in block.children { add(child, times: count, zones: zones) }
            return
        }
        let pace = zones.map { z -> Double in
            let r = z.range(block.pace); return (r.fast + r.slow) / 2
        }
        var distance = 0.0, duration = 0.0
        switch block.lengthTarget {
        // The quantity that does not govern the block is never read from the block: a value left there
        // from before the block was switched (time → distance) would be stale. It comes from paces or
        // stays unknown.
        case .distance:
            distance = block.distanceMeters ?? 0
            if let pace {
                duration = distance / 1000 * pace
            } else if distance > 0 {
                isComplete = false
            }
        case .duration:
            duration = block.durationSeconds ?? 0
            if let pace, pace > 0 {
                distance = duration / pace * 1000
            } else if duration > 0 {
                isComplete = false
            }
        }
        distanceMeters += distance * Double(count)
        durationSeconds += duration * Double(count)
    }
}
