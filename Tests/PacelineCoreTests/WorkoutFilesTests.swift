import Foundation
import Testing
@testable import PacelineCore

/// Issue 18, item 1: workouts as FIT workout files and Zwift files.
struct WorkoutFilesTests {
    let zones = PaceZones(vdotValue: 50)
    var targets: WorkoutFileTargets { WorkoutFileTargets(zones: zones, heartRate: nil, units: .km) }

    /// 2 km warm-up; 3 × (4 × (400 m R, 200 m jog), 3 min easy); 10 min cool-down.
    var nested: Workout {
        let inner = WorkoutBlock(
            .interval, pace: .z5, repeat: 4,
            children: [WorkoutBlock(.run, distance: 400, pace: .z5), WorkoutBlock(.recoveryRun, distance: 200)])
        return Workout(
            name: "Ladders — ünïcode name that is rather long for a watch", sport: .run, subtype: .intervalRun,
            blocks: [
                WorkoutBlock(.warmUp, distance: 2000, pace: .z1),
                WorkoutBlock(.interval, repeat: 3, children: [inner, WorkoutBlock(.recoveryRun, duration: 180)]),
                WorkoutBlock(.coolDown, duration: 600, pace: .z1),
            ])
    }

    @Test func nestedRepeatsPointBackToTheirFirstStep() {
        let steps = WorkoutStep.flatten(nested.blocks, targets: targets)
        guard steps.count == 7 else {
            Issue.record("7 steps expected: \(steps)")
            return
        }
        #expect(steps[3] == .repeatFrom(1, times: 4), "the inner set repeats from the 400 m")
        #expect(steps[5] == .repeatFrom(1, times: 3), "the outer set repeats from the same first step")
        if case .step(_, let length, let target, let intensity, let zone) = steps[1] {
            #expect(length == .meters(400) && intensity == .interval && zone == .z5)
            let r = zones!.range(.z5)
            #expect(target == .speed(low: 1000 / r.slow, high: 1000 / r.fast))
        } else {
            Issue.record("step 1 is the 400 m")
        }
        if case .step(_, let length, _, let intensity, _) = steps[6] {
            #expect(length == .seconds(600) && intensity == .cooldown)
        }
    }

    @Test func theFileHasAValidHeaderBothCRCsAndNamesCutOnACharacter() throws {
        let file = WorkoutFIT.encode(nested, targets: targets, created: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(file[0] == 14 && Array(file[8..<12]) == Array(".FIT".utf8))
        let size = Int(file[4]) | Int(file[5]) << 8 | Int(file[6]) << 16 | Int(file[7]) << 24
        #expect(size == file.count - 16)
        let headerCRC = UInt16(file[12]) | UInt16(file[13]) << 8
        #expect(FITReader.crc(file[0..<12]) == headerCRC)
        let crc = UInt16(file[file.count - 2]) | UInt16(file[file.count - 1]) << 8
        #expect(FITReader.crc(file[0..<(file.count - 2)]) == crc)
        // The 40-byte name field holds valid UTF-8 up to its NUL: the longest whole-character prefix.
        let start = try #require(
            file.indices.first { Array(file[$0..<min($0 + 7, file.count)]) == Array("Ladders".utf8) })
        let field = Array(file[start..<(start + 40)])
        let content = Array(field.prefix { $0 != 0 })
        var expected = ""
        for character in nested.name {
            if (expected + String(character)).utf8.count > 39 { break }
            expected.append(character)
        }
        #expect(String(validating: content, as: UTF8.self) == expected)
        #expect(field.last == 0)
    }

    @Test func hostileNumbersNeverTrap() {
        let huge = Workout(
            name: String(repeating: "x", count: 500), sport: .bike, subtype: .intervalRide,
            blocks: [
                WorkoutBlock(.run, distance: 1e300, pace: .z6, repeat: Int.max),
                WorkoutBlock(.run, duration: .infinity, intensity: .heartrate),
                WorkoutBlock(.run, duration: -5, intensity: .power),
                WorkoutBlock(.interval, repeat: 1_000_000, children: []),
            ])
        let file = WorkoutFIT.encode(huge, targets: targets, created: .distantFuture)
        #expect(file.count > 30)
        let zwo = WorkoutZWO.encode(huge, targets: targets)
        #expect(zwo.contains("<sportType>bike</sportType>"))
        let empty = Workout(name: "Strength", sport: .strength, subtype: .core, blocks: [])
        #expect(WorkoutStep.flatten(empty.blocks, targets: targets).isEmpty)
        #expect(WorkoutFIT.encode(empty, targets: targets, created: Date()).count > 30, "one open step")
    }

    @Test func zwiftGetsIntervalsAtAFractionOfThresholdPace() {
        let workout = Workout(
            name: "5 × 1 km <fast> & easy", sport: .run, subtype: .intervalRun,
            blocks: [
                WorkoutBlock(.warmUp, duration: 600, pace: .z1),
                WorkoutBlock(
                    .interval, repeat: 5,
                    children: [
                        WorkoutBlock(.run, distance: 1000, pace: .z5), WorkoutBlock(.recoveryRun, duration: 120),
                    ]),
            ])
        let xml = WorkoutZWO.encode(workout, targets: targets)
        #expect(xml.contains("<name>5 × 1 km &lt;fast&gt; &amp; easy</name>"))
        #expect(xml.contains("<IntervalsT Repeat=\"5\""))
        #expect(xml.contains("OffDuration=\"120\""))
        // 1 km at I pace: the on-duration is the time at the middle of the athlete's I range.
        let r = zones!.range(.z5)
        #expect(xml.contains("OnDuration=\"\(Int(saturating: (r.fast + r.slow) / 2))\""))
        #expect(!WorkoutZWO.supports(.swim))
    }
}
