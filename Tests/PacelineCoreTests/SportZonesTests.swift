import Foundation
import Testing
@testable import PacelineCore

/// Issue 19, items 1–2: zones for rides and swims from FTP, LTHR and CSS, worked by hand.
struct SportZonesTests {
    @Test func powerZonesAreCogganLevelsOfFTP() throws {
        let zones = try #require(PowerZones(ftp: 250))
        // 56–75 % endurance, 76–90 % tempo, 91–105 % threshold, 106–120 % VO2max, 121–150 % anaerobic.
        #expect(zones.range(.z1) == 140...188)  // 140, 187.5
        #expect(zones.range(.z2) == 190...225)
        #expect(zones.range(.z3) == 228...263)  // 227.5, 262.5
        #expect(zones.range(.z4) == 265...300)
        #expect(zones.range(.z5) == 303...375)  // 302.5
        #expect(PowerZones(ftp: 0) == nil && PowerZones(ftp: .nan) == nil && PowerZones(ftp: 5000) == nil)
        #expect(abs(PowerZones.fromTwentyMinutes(averagePower: 263) - 249.85) < 1e-9)
    }

    @Test func heartRateZonesAreFrielsBandsOfTheSportsThreshold() throws {
        let run = try #require(ThresholdHeartRateZones(lthr: 170, discipline: .run))
        #expect(run.range(.z1) == 145...151)  // 85 % = 144.5, 89 % = 151.3
        #expect(run.range(.z2) == 153...160)  // 90 %, 94 % = 159.8
        #expect(run.range(.z3) == 162...173)  // 95 % = 161.5, 102 % = 173.4
        let bike = try #require(ThresholdHeartRateZones(lthr: 160, discipline: .bike))
        #expect(bike.range(.z1) == 130...142)  // 81 % = 129.6, 89 % = 142.4
        #expect(bike.range(.z3) == 150...163)  // 94 % = 150.4, 102 % = 163.2
        #expect(ThresholdHeartRateZones(lthr: 60, discipline: .run) == nil)
    }

    @Test func criticalSwimSpeedFromA400And200() throws {
        // 400 m in 6:00, 200 m in 2:50: the 200 m between them took 3:10, so 1:35 per 100 m.
        #expect(SwimZones.fromTest(seconds400: 360, seconds200: 170) == 95)
        // A 200 m no faster per 100 m than the 400 m cannot give a threshold.
        #expect(SwimZones.fromTest(seconds400: 360, seconds200: 180) == nil)
        #expect(SwimZones.fromTest(seconds400: .infinity, seconds200: 170) == nil)
        let zones = try #require(SwimZones(cssPer100m: 95))
        #expect(zones.range(.z3) == (fast: 94, slow: 100))
        #expect(zones.range(.z1) == (fast: 107, slow: 115))
        #expect(zones.range(.z6).fast < zones.range(.z5).fast)
    }

    @Test func theThresholdValidOnADayIsTheLatestFromThatDayOrBefore() throws {
        let day = try #require(CalendarDate("2027-03-10"))
        let history = [
            ThresholdEntry(kind: .ftp, value: 240, validFrom: day.adding(days: -60), source: .entered),
            ThresholdEntry(kind: .ftp, value: 252, validFrom: day.adding(days: -5), source: .test),
            ThresholdEntry(kind: .ftp, value: 260, validFrom: day.adding(days: 1), source: .detected),
            ThresholdEntry(kind: .css, value: 100, validFrom: day.adding(days: -30), source: .test),
        ]
        #expect(SportThresholds(history: history, on: day).ftp == 252)
        #expect(SportThresholds(history: history, on: day.adding(days: -10)).ftp == 240)
        #expect(SportThresholds(history: history, on: day.adding(days: -90)).ftp == nil)
        #expect(SportThresholds(history: history, on: day).cssPer100m == 100)
    }

    @Test func workoutsSayEachSportsOwnNumbers() {
        let thresholds = SportThresholds(ftp: 250, lthrRun: 170, cssPer100m: 95)
        let words = WorkoutWords(
            units: .km, zones: PaceZones(vdotValue: 50), heartRate: HeartRateZones(maxHR: 190, restingHR: 50),
            thresholds: thresholds)
        let ride = Workout(
            name: "Threshold", sport: .bike, subtype: .intervalRide,
            blocks: [WorkoutBlock(.run, duration: 1200, pace: .z3, intensity: .power)])
        #expect(words.forWorkout(ride).steps(ride.blocks) == ["20 min at 228–263 W (zone 3)"])
        let swim = Workout(
            name: "CSS", sport: .swim, subtype: .intervalSwim,
            blocks: [WorkoutBlock(.interval, repeat: 8, children: [WorkoutBlock(.run, distance: 100, pace: .z3)])])
        #expect(words.forWorkout(swim).steps(swim.blocks) == ["8 × (100 m at CSS pace 1:34–1:40/100 m)"])
        let yards = WorkoutWords(units: .mi, thresholds: thresholds).forWorkout(swim)
        #expect(yards.steps(swim.blocks) == ["8 × (109 yd at CSS pace 1:34–1:40/100 m)"])
        // A run's heart-rate block: Friel's running bands when LTHR is known, heart-rate reserve otherwise.
        let hr = WorkoutBlock(.run, duration: 3600, pace: .z2, intensity: .heartrate)
        let run = Workout(name: "Steady", sport: .run, subtype: .easyRun, blocks: [hr])
        #expect(words.forWorkout(run).targetText(hr) == "at heart rate 153–160 bpm (zone 2)")
        let karvonen = WorkoutWords(units: .km, heartRate: HeartRateZones(maxHR: 190, restingHR: 50))
        #expect(karvonen.forWorkout(run).targetText(hr) == "at heart rate 148–162 bpm (zone 2)")
        // Without FTP a power block names its zone.
        #expect(WorkoutWords(units: .km).forWorkout(ride).steps(ride.blocks) == ["20 min in power zone 3"])
    }

    @Test func aRideFileCarriesWattsAndASwimFileCSSSpeeds() {
        let targets = WorkoutFileTargets(
            zones: nil, heartRate: nil, units: .km, thresholds: SportThresholds(ftp: 250, cssPer100m: 95))
        let block = WorkoutBlock(.run, duration: 1200, pace: .z3, intensity: .power)
        let ride = WorkoutStep.flatten([block], targets: targets.forSport(.bike))
        if case .step(_, _, let target, _, _) = ride.first {
            #expect(target == .power(low: 228, high: 263))
        } else {
            Issue.record("no step: \(ride)")
        }
        let swim = WorkoutStep.flatten([WorkoutBlock(.run, distance: 100, pace: .z3)], targets: targets.forSport(.swim))
        if case .step(_, _, let target, _, _) = swim.first {
            #expect(target == .speed(low: 100 / 100.0, high: 100 / 94.0))
        } else {
            Issue.record("no step: \(swim)")
        }
        // The FIT file: target type 4 (power) with watts + 1000, decodable (CRCs) like every file.
        let workout = Workout(name: "FTP", sport: .bike, subtype: .intervalRide, blocks: [block])
        let bytes = WorkoutFIT.encode(workout, targets: targets, created: Date(timeIntervalSince1970: 1_800_000_000))
        let stored = UInt16(bytes[bytes.count - 2]) | UInt16(bytes[bytes.count - 1]) << 8
        #expect(FITReader.crc(bytes.dropLast(2)) == stored)
        let low = UInt32(1228).littleEndianBytes, high = UInt32(1263).littleEndianBytes
        #expect(Self.contains(bytes, [4] + [0, 0, 0, 0] + low + high))
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}

extension UInt32 {
    fileprivate var littleEndianBytes: [UInt8] { (0..<4).map { UInt8((self >> (8 * $0)) & 0xFF) } }
}
