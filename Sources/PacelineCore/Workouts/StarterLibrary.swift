import Foundation

/// The standard workouts a new library starts with: what most coaches would write first.
public enum StarterLibrary {
    static func wu(_ minutes: Double = 15) -> WorkoutBlock { WorkoutBlock(.warmUp, duration: minutes * 60, pace: .z1) }
    static func cd(_ minutes: Double = 10) -> WorkoutBlock {
        WorkoutBlock(.coolDown, duration: minutes * 60, pace: .z1)
    }
    static func jog(_ meters: Double) -> WorkoutBlock { WorkoutBlock(.recoveryRun, distance: meters, pace: .z1) }
    static func jogTime(_ seconds: Double) -> WorkoutBlock { WorkoutBlock(.recoveryRun, duration: seconds, pace: .z1) }
    static func rep(_ meters: Double, _ zone: PaceZone) -> WorkoutBlock {
        WorkoutBlock(.run, distance: meters, pace: zone)
    }
    static func set(_ times: Int, _ steps: WorkoutBlock...) -> WorkoutBlock {
        WorkoutBlock(.interval, repeat: times, children: steps)
    }

    public static let workouts: [Workout] = [
        Workout(
            name: "Easy run 40 min", sport: .run, subtype: .easyRun, targetDurationSeconds: 2400,
            notes: "Conversational pace. If you cannot speak in full sentences, slow down.",
            blocks: [WorkoutBlock(.run, duration: 2400, pace: .z1)]),
        Workout(
            name: "Easy run 60 min", sport: .run, subtype: .easyRun, targetDurationSeconds: 3600,
            notes: "Relaxed aerobic running. Hills are fine, effort stays easy.",
            blocks: [WorkoutBlock(.run, duration: 3600, pace: .z1)]),
        Workout(
            name: "Recovery run 30 min", sport: .run, subtype: .recoveryRun, targetDurationSeconds: 1800,
            notes: "Slower than your usual easy pace. **Flat route**, soft surface if you have one.",
            blocks: [WorkoutBlock(.run, duration: 1800, pace: .z1)]),
        Workout(
            name: "Easy run with strides", sport: .run, subtype: .strides, targetDurationSeconds: 2700,
            notes: "Strides: smooth accelerations to about mile-race effort, *not* sprints. Walk back between them.",
            blocks: [WorkoutBlock(.run, duration: 2400, pace: .z1), set(6, rep(100, .z5), jogTime(60))]),
        Workout(
            name: "Long run 90 min", sport: .run, subtype: .longRun, targetDurationSeconds: 5400,
            notes: "Steady and easy. Practise drinking and fuelling every 30–40 minutes.",
            blocks: [WorkoutBlock(.run, duration: 5400, pace: .z1)]),
        Workout(
            name: "Long run with marathon-pace finish", sport: .run, subtype: .longRun, targetDistanceMeters: 24_000,
            notes: "Run the last 8 km at marathon pace. Back off if the easy part already felt hard.",
            blocks: [WorkoutBlock(.run, distance: 16_000, pace: .z1), WorkoutBlock(.run, distance: 8000, pace: .z2)]),
        Workout(
            name: "Tempo run 20 min", sport: .run, subtype: .tempoRun, targetDurationSeconds: 2700,
            notes: "Comfortably hard: you could hold this pace for about an hour in a race.",
            blocks: [wu(), WorkoutBlock(.run, duration: 1200, pace: .z3), cd()]),
        Workout(
            name: "Cruise intervals 5 × 1 km", sport: .run, subtype: .tempoRun, targetDistanceMeters: 10_000,
            notes: "Threshold pace with short jogs. The last one should feel like the first.",
            blocks: [wu(), set(5, rep(1000, .z3), jogTime(60)), cd()]),
        Workout(
            name: "Cruise intervals 3 × 2 km", sport: .run, subtype: .tempoRun, targetDistanceMeters: 11_000,
            notes: "Threshold pace, 2 minutes of easy jogging between.",
            blocks: [wu(), set(3, rep(2000, .z3), jogTime(120)), cd()]),
        Workout(
            name: "VO2max 6 × 1000 m", sport: .run, subtype: .intervalRun, targetDistanceMeters: 11_000,
            notes: "I pace, jog 400 m between. Stop the session if you cannot hold the pace.",
            blocks: [wu(), set(6, rep(1000, .z4), jog(400)), cd()]),
        Workout(
            name: "VO2max 5 × 3 min", sport: .run, subtype: .intervalRun, targetDurationSeconds: 3300,
            notes: "Hard but controlled. Jog recoveries as long as the work bouts.",
            blocks: [wu(), set(5, WorkoutBlock(.run, duration: 180, pace: .z4), jogTime(180)), cd()]),
        Workout(
            name: "Repetitions 10 × 400 m", sport: .run, subtype: .intervalRun, targetDistanceMeters: 9000,
            notes: "R pace: fast and relaxed, good form. Full recovery: jog 400 m.",
            blocks: [wu(), set(10, rep(400, .z5), jog(400)), cd()]),
        Workout(
            name: "Hill repeats 8 × 60 s", sport: .run, subtype: .hillRepeats, targetDurationSeconds: 3000,
            notes: "A steady 5–8 % hill. Run up hard, jog down to recover.",
            blocks: [wu(), set(8, WorkoutBlock(.run, duration: 60, pace: .z5), jogTime(90)), cd()]),
        Workout(
            name: "Fartlek 10 × 1 min", sport: .run, subtype: .fartlek, targetDurationSeconds: 3000,
            notes: "Play with speed: 1 minute brisk, 1 minute easy. Effort, not the watch.",
            blocks: [wu(), set(10, WorkoutBlock(.run, duration: 60, pace: .z4), jogTime(60)), cd()]),
        Workout(
            name: "Progression run 45 min", sport: .run, subtype: .progressionRun, targetDurationSeconds: 2700,
            notes: "Start easy and finish at threshold.",
            blocks: [
                WorkoutBlock(.run, duration: 1500, pace: .z1), WorkoutBlock(.run, duration: 900, pace: .z2),
                WorkoutBlock(.run, duration: 300, pace: .z3),
            ]),
        Workout(
            name: "Half-marathon pace 3 × 3 km", sport: .run, subtype: .tempoRun, targetDistanceMeters: 14_000,
            notes: "Between marathon and threshold pace; 3 minutes easy between.",
            blocks: [wu(), set(3, rep(3000, .z3), jogTime(180)), cd()]),
        Workout(
            name: "Endurance ride 90 min", sport: .bike, subtype: .enduranceRide, targetDurationSeconds: 5400,
            notes: "Steady, conversational effort. Cadence 85–95.",
            blocks: [WorkoutBlock(.run, duration: 5400, pace: .z1, intensity: .heartrate)]),
        Workout(
            name: "Bike intervals 4 × 8 min", sport: .bike, subtype: .intervalRide, targetDurationSeconds: 4200,
            notes: "Threshold power, 4 minutes easy spinning between.",
            blocks: [
                wu(),
                set(
                    4, WorkoutBlock(.run, duration: 480, pace: .z3, intensity: .power),
                    WorkoutBlock(.recoveryRun, duration: 240, pace: .z1, intensity: .power)), cd(),
            ]),
        Workout(
            name: "Technique swim", sport: .swim, subtype: .techniqueSwim, targetDistanceMeters: 2000,
            notes: "Drills: catch-up, fingertip drag, 6-kick switch. Rest 20 s between lengths as needed.",
            blocks: [
                WorkoutBlock(.warmUp, distance: 400, pace: .z1),
                set(
                    8, WorkoutBlock(.run, distance: 100, pace: .z2),
                    WorkoutBlock(.recoveryRun, duration: 20, pace: .z1)),
                WorkoutBlock(.run, distance: 600, pace: .z1), WorkoutBlock(.coolDown, distance: 200, pace: .z1),
            ]),
        Workout(
            name: "Strength for runners", sport: .strength, subtype: .strengthTraining, targetDurationSeconds: 2400,
            notes: """
                Three rounds:
                - 10 goblet squats
                - 8 single-leg Romanian deadlifts each side
                - 12 calf raises each side
                - 30 s side plank each side
                """,
            blocks: [WorkoutBlock(.run, duration: 2400, pace: .z1, intensity: .heartrate)]),
        Workout(
            name: "Core and mobility 20 min", sport: .strength, subtype: .mobility, targetDurationSeconds: 1200,
            notes: "Hip openers, dead bugs, bird dogs, glute bridges. Slow and controlled.",
            blocks: [WorkoutBlock(.run, duration: 1200, pace: .z1, intensity: .heartrate)]),
    ]
}
