import Foundation

/// What a workout is for, as the plan editor, the calendars and the athlete's day colour it:
/// one rule, so the template grid and the athlete's calendar never disagree about a session.
public enum WorkoutKind: String, Sendable, CaseIterable {
    case race, quality, long, easy

    public init(_ subtype: WorkoutSubtype) {
        if subtype == .race || subtype == .bikeRace || subtype == .triathlon {
            self = .race
        } else if subtype.isQuality {
            self = .quality
        } else if subtype == .longRun {
            self = .long
        } else {
            self = .easy
        }
    }
}

extension Workout {
    public var kind: WorkoutKind { WorkoutKind(subtype) }
}

/// An easy day run hard is the most common way athletes undo a plan: the check that says so.
public enum EasyPaceCheck {
    /// How much faster than the fast edge of the planned zone still counts as "easy" (GPS, hills, wind).
    public static let tolerance = 0.05

    /// What was run against what was planned, when an easy or long run of easy blocks (z1–z2 only) was
    /// run clearly faster than its zone allows; nil otherwise, or when the paces or amounts are unknown.
    public static func tooFast(
        _ workout: Workout, distanceMeters: Double?, durationSeconds: Double?, zones: PaceZones?
    ) -> (done: Double, planned: PaceRange)? {
        guard workout.sport == .run, [.easy, .long].contains(workout.kind), let zones,
            let distanceMeters, let durationSeconds, distanceMeters >= 1000, durationSeconds > 0,
            distanceMeters.isFinite, durationSeconds.isFinite
        else { return nil }
        func zonesOf(_ blocks: [WorkoutBlock]) -> [PaceZone] { blocks.flatMap { [$0.pace] + zonesOf($0.children) } }
        let used = zonesOf(workout.blocks)
        guard let fastest = used.max(), fastest <= .z2 else { return nil }
        let planned = zones.range(fastest)
        let done = durationSeconds / distanceMeters * 1000
        return done < planned.fast * (1 - tolerance) ? (done, planned) : nil
    }
}
