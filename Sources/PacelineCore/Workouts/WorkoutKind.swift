import Foundation

/// What a workout is for, as the plan editor, the calendars and the athlete's day colour it:
/// one rule, so the template grid and the athlete's calendar never disagree about a session.
public enum WorkoutKind: String, Sendable, CaseIterable {
    case race, quality, long, easy

    public init(_ subtype: WorkoutSubtype) {
        if subtype == .race {
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
