import Foundation
import Testing
@testable import PacelineCore

struct WorkoutTests {
    static let intervals = Workout(
        name: "6 × 1000", sport: .run, subtype: .intervalRun,
        blocks: [
            WorkoutBlock(.warmUp, duration: 900, pace: .z1),
            WorkoutBlock(
                .interval, repeat: 6,
                children: [
                    WorkoutBlock(.run, distance: 1000, pace: .z4), WorkoutBlock(.recoveryRun, distance: 400, pace: .z1),
                ]),
            WorkoutBlock(.coolDown, duration: 600, pace: .z1),
        ])

    @Test func jsonUsesTheFieldNamesCoachesKnow() throws {
        let data = try JSONEncoder().encode(Self.intervals)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(json.keys) == ["name", "type", "subtype", "target_distance_m", "target_duration_s", "notes", "blocks"])
        #expect(json["type"] as? String == "run" && json["subtype"] as? String == "interval-run")
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        let interval = blocks[1]
        #expect(
            Set(interval.keys) == [
                "type", "block_distance_in_meters", "block_duration_in_seconds", "block_pace",
                "block_length_target", "block_intensity_target", "block_repeat", "children",
            ])
        #expect(interval["block_repeat"] as? Int == 6)
        let child = try #require((interval["children"] as? [[String: Any]])?.first)
        #expect(child["block_pace"] as? String == "z4" && child["block_length_target"] as? String == "distance")
        #expect(try JSONDecoder().decode(Workout.self, from: data) == Self.intervals)
    }

    @Test func storedBlocksCarryAVersion() throws {
        let json = StoredBlocks.encode(Self.intervals.blocks)
        #expect(json.contains("\"version\":1"))
        #expect(try StoredBlocks.decode(json) == Self.intervals.blocks)
        #expect(throws: WorkoutDecodingError.newerVersion(9)) { try StoredBlocks.decode(#"{"version":9,"blocks":[]}"#) }
        #expect(throws: (any Error).self) { try StoredBlocks.decode(#"{"version":1,"blocks":[{"type":"teleport"}]}"#) }
    }

    @Test func validWorkoutsPass() {
        #expect(WorkoutRules.validate(Self.intervals).isEmpty)
        for workout in StarterLibrary.workouts {
            #expect(WorkoutRules.validate(workout).isEmpty, "\(workout.name): \(WorkoutRules.validate(workout))")
        }
        #expect(StarterLibrary.workouts.count >= 20)
        #expect(Set(StarterLibrary.workouts.map(\.name)).count == StarterLibrary.workouts.count)
    }

    @Test func validationNamesEachProblem() {
        var w = Self.intervals
        w.name = "  "
        w.blocks[0].durationSeconds = nil  // governed by duration, none given
        w.blocks[1].repeatCount = 0
        w.blocks[1].children[0].distanceMeters = -5
        w.blocks[2].children = [WorkoutBlock(.run, duration: 60)]
        let issues = WorkoutRules.validate(w)
        #expect(issues.contains { $0.field == "name" })
        #expect(issues.contains { $0.path == [0] && $0.field == "duration" })
        #expect(issues.contains { $0.path == [1] && $0.field == "repeat" })
        #expect(issues.contains { $0.path == [1, 0] && $0.field == "distance" })
        #expect(issues.contains { $0.path == [2] && $0.field == "children" })
        #expect(issues.first { $0.path == [1, 0] }?.description.hasPrefix("Block 2.1:") == true)
    }

    @Test func intervalRules() {
        var empty = Self.intervals
        empty.blocks[1].children = []
        #expect(WorkoutRules.validate(empty).contains { $0.field == "children" })
        var nested = Self.intervals
        nested.blocks[1].children.append(
            WorkoutBlock(.interval, repeat: 2, children: [WorkoutBlock(.run, distance: 200, pace: .z5)]))
        #expect(WorkoutRules.validate(nested).contains { $0.path == [1, 2] && $0.field == "type" })
        var wrongSport = Self.intervals
        wrongSport.sport = .swim
        #expect(WorkoutRules.validate(wrongSport).contains { $0.field == "subtype" })
    }

    @Test func tooManyBlocksOrImplausibleTotals() {
        var many = Self.intervals
        many.blocks = Array(repeating: WorkoutBlock(.run, distance: 100, pace: .z1), count: 10_000)
        #expect(WorkoutRules.validate(many).contains { $0.field == "blocks" && $0.message.contains("at most 100") })
        var huge = Self.intervals
        huge.blocks[1].repeatCount = 100
        huge.blocks[1].children[0].distanceMeters = 100_000
        #expect(WorkoutRules.validate(huge).contains { $0.message.contains("500 km") })
        // One block of a run is at most 100 km; a ride's may be a whole 200 km event.
        let long = WorkoutBlock(.run, distance: 200_000, pace: .z2, intensity: .power)
        let run = Workout(name: "Far", sport: .run, subtype: .longRun, blocks: [long])
        #expect(WorkoutRules.validate(run).contains { $0.message.contains("at most 100 km") })
        let ride = Workout(name: "Far", sport: .bike, subtype: .bikeRace, blocks: [long])
        #expect(WorkoutRules.validate(ride).isEmpty)
    }

    @Test func totalsWithAndWithoutPaces() throws {
        let bare = WorkoutTotals(Self.intervals.blocks, zones: nil)
        #expect(bare.distanceMeters == 6 * 1400)
        #expect(bare.durationSeconds == 1500)
        #expect(!bare.isComplete)

        let zones = PaceZones(vdot: try VDOT(50))
        let totals = WorkoutTotals(Self.intervals.blocks, zones: zones)
        func mid(_ zone: PaceZone) -> Double { let r = zones.range(zone); return (r.fast + r.slow) / 2 }
        let expectedTime = 1500 + 6 * (mid(.z4) + 0.4 * mid(.z1))
        let expectedDistance = 6 * 1400 + 1500 / mid(.z1) * 1000
        #expect(abs(totals.durationSeconds - expectedTime) < 1e-6)
        #expect(abs(totals.distanceMeters - expectedDistance) < 1e-6)
        #expect(totals.isComplete)
        // A block repeated by itself counts each time: 10 × 100 m strides.
        let strides = WorkoutTotals([WorkoutBlock(.run, distance: 100, pace: .z5, repeat: 10)], zones: nil)
        #expect(strides.distanceMeters == 1000)
    }

    @Test func wordsWithAthletePacesInBothUnits() throws {
        let zones = PaceZones(vdot: try VDOT(50))
        let metric = WorkoutWords(units: .km, zones: zones).steps(Self.intervals.blocks)
        let z4 = zones.range(.z4)
        let expectedPace = "\(TimeFormat.clock(z4.fast))–\(TimeFormat.clock(z4.slow))/km"
        #expect(metric[1] == "6 × (1000 m at I pace \(expectedPace), 400 m recovery jog)")
        #expect(metric[0].hasPrefix("Warm-up 15 min easy "))
        let imperial = WorkoutWords(units: .mi, zones: zones).steps(Self.intervals.blocks)
        #expect(imperial[1].contains("/mi") && imperial[1].hasPrefix("6 × (1000 m at I pace"))
        let longRun = [WorkoutBlock(.run, distance: 16_093.44, pace: .z1)]
        #expect(WorkoutWords(units: .mi).steps(longRun) == ["10 mi easy (z1)"])
        #expect(WorkoutWords(units: .km).steps(longRun) == ["16.1 km easy (z1)"])
    }

    @Test func wordsWithoutAnAthleteNameTheZones() {
        let steps = WorkoutWords(units: .km).steps(Self.intervals.blocks)
        #expect(
            steps == [
                "Warm-up 15 min easy (z1)", "6 × (1000 m at I pace (z4), 400 m recovery jog)",
                "Cool-down 10 min easy (z1)",
            ])
        let hr = WorkoutWords(units: .km, heartRate: HeartRateZones(maxHR: 190, restingHR: 50))
        #expect(
            hr.describe(WorkoutBlock(.run, duration: 3600, pace: .z2, intensity: .heartrate))
                == "1 h at heart rate 148–162 bpm (zone 2)")
        #expect(
            WorkoutWords.duration(90) == "90 s" && WorkoutWords.duration(5400) == "1 h 30 min"
                && WorkoutWords.duration(150) == "2 min 30 s")
    }
}
