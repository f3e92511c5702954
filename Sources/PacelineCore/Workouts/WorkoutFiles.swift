import Foundation

/// The athlete's own numbers for a workout file: pace zones from their VDOT, heart-rate zones from
/// their threshold heart rate for the sport (else max and resting heart rate), watts from FTP, swim
/// paces from CSS. A target without numbers behind it becomes an open step named after its zone (the
/// watch shows the name).
public struct WorkoutFileTargets: Sendable {
    public let zones: PaceZones?
    public let heartRate: HeartRateZones?
    public let units: UnitSystem
    public let thresholds: SportThresholds
    /// The workout's sport (set by the encoders): a swim's pace is CSS's, a ride's intensity is watts.
    public let sport: Sport?

    public init(
        zones: PaceZones?, heartRate: HeartRateZones?, units: UnitSystem,
        thresholds: SportThresholds = SportThresholds(), sport: Sport? = nil
    ) {
        self.zones = zones
        self.heartRate = heartRate
        self.units = units
        self.thresholds = thresholds
        self.sport = sport
    }

    public func forSport(_ sport: Sport) -> WorkoutFileTargets {
        WorkoutFileTargets(zones: zones, heartRate: heartRate, units: units, thresholds: thresholds, sport: sport)
    }

    var words: WorkoutWords {
        WorkoutWords(units: units, zones: zones, heartRate: heartRate, thresholds: thresholds, sport: sport)
    }
}

/// One step of a workout as devices take it: repeats are steps that send the watch back.
public enum WorkoutStep: Sendable, Hashable {
    public enum Length: Sendable, Hashable { case meters(Double), seconds(Double), open }
    public enum Target: Sendable, Hashable {
        /// Metres per second, slow end first.
        case speed(low: Double, high: Double)
        case heartRate(low: Int, high: Int)
        /// Watts.
        case power(low: Int, high: Int)
        case open
    }
    public enum Intensity: UInt8, Sendable {
        case active = 0, rest = 1, warmup = 2, cooldown = 3, recovery = 4, interval = 5
    }

    case step(name: String, length: Length, target: Target, intensity: Intensity, zone: PaceZone)
    /// Go back to step `from` (its index) until it has run `times` times in all.
    case repeatFrom(Int, times: Int)

    /// The blocks as a flat list of steps; nested repeats stay nested (a repeat may cover a repeat).
    public static func flatten(_ blocks: [WorkoutBlock], targets: WorkoutFileTargets) -> [WorkoutStep] {
        var steps: [WorkoutStep] = []
        func add(_ block: WorkoutBlock, inRepeat: Bool) {
            let start = steps.count
            if block.type == .interval || !block.children.isEmpty {
                for child in block.children { add(child, inRepeat: inRepeat || block.repeatCount > 1) }
                guard steps.count > start else { return }
            } else {
                steps.append(step(block, inRepeat: inRepeat || block.repeatCount > 1, targets: targets))
            }
            if block.repeatCount > 1 { steps.append(.repeatFrom(start, times: min(block.repeatCount, 99))) }
        }
        for block in blocks { add(block, inRepeat: false) }
        return steps
    }

    static func step(_ block: WorkoutBlock, inRepeat: Bool, targets: WorkoutFileTargets) -> WorkoutStep {
        let length: Length
        switch block.lengthTarget {
        case .distance: length = (block.distanceMeters ?? 0) > 0 ? .meters(block.distanceMeters ?? 0) : .open
        case .duration: length = (block.durationSeconds ?? 0) > 0 ? .seconds(block.durationSeconds ?? 0) : .open
        }
        var target = Target.open
        switch block.intensityTarget {
        case .pace where targets.sport == .swim:
            if let range = targets.thresholds.swim?.range(block.pace), range.slow > 0, range.fast > 0 {
                target = .speed(low: 100 / range.slow, high: 100 / range.fast)
            }
        case .pace where targets.sport == .bike, .power:
            if let watts = targets.thresholds.power?.range(block.pace) {
                target = .power(low: watts.lowerBound, high: watts.upperBound)
            }
        case .pace:
            if let range = targets.zones?.range(block.pace), range.slow > 0, range.fast > 0 {
                target = .speed(low: 1000 / range.slow, high: 1000 / range.fast)
            }
        case .heartrate:
            let zones = targets.thresholds.heartRate(for: targets.sport)?.range(block.pace)
            if let bpm = zones ?? targets.heartRate?.range(block.pace) {
                target = .heartRate(low: bpm.lowerBound, high: bpm.upperBound)
            }
        }
        let intensity: Intensity =
            switch block.type {
            case .warmUp: .warmup
            case .coolDown: .cooldown
            case .recoveryRun: .recovery
            case .run, .interval: inRepeat ? .interval : .active
            }
        var name = targets.words.targetText(block, shortRepeat: false)
        if name.hasPrefix("at ") { name = String(name.dropFirst(3)) }
        return .step(name: name, length: length, target: target, intensity: intensity, zone: block.pace)
    }
}

/// A FIT workout file (file type 5): `file_id`, `workout` and one `workout_step` per step, as the FIT
/// SDK's profile defines them; the 14-byte header and both CRCs. Read by Garmin watches and most
/// bike computers (copied to `GARMIN/NewFiles`) and by Garmin's own decoder in the tests.
public enum WorkoutFIT {
    /// Seconds from the Unix epoch to FIT's (1989-12-31 00:00 UTC).
    static let epochOffset: Double = 631_065_600

    public static func sportCode(_ sport: Sport) -> UInt8 {
        switch sport {
        case .run: 1
        case .bike: 2
        case .swim: 5
        case .walk: 11
        case .hike: 17
        case .strength: 10  // training
        }
    }

    public static func encode(_ workout: Workout, targets: WorkoutFileTargets, created: Date) -> [UInt8] {
        var steps = WorkoutStep.flatten(workout.blocks, targets: targets.forSport(workout.sport))
        if steps.isEmpty {
            // A workout without blocks (strength, a free run): one open step, so the watch has something to start.
            steps = [.step(name: workout.name, length: .open, target: .open, intensity: .active, zone: .z1)]
        }
        var out = FITWriter()
        // file_id: type, manufacturer (255: development), product, time_created
        out.define(local: 0, global: 0, fields: [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (4, 4, 0x86)])
        let time = UInt32(clamping: Int(saturating: created.timeIntervalSince1970 - epochOffset))
        out.data(local: 0) { $0.u8(5); $0.u16(255); $0.u16(1); $0.u32(time) }
        // workout: wkt_name, sport, num_valid_steps
        out.define(local: 1, global: 26, fields: [(8, 40, 0x07), (4, 1, 0x00), (6, 2, 0x84)])
        out.data(local: 1) {
            $0.string(workout.name, size: 40)
            $0.u8(sportCode(workout.sport))
            $0.u16(UInt16(clamping: steps.count))
        }
        // workout_step: message_index, wkt_step_name, duration_type, duration_value, target_type,
        // target_value, custom_target_value_low, custom_target_value_high, intensity
        out.define(
            local: 2, global: 27,
            fields: [
                (254, 2, 0x84), (0, 32, 0x07), (1, 1, 0x00), (2, 4, 0x86), (3, 1, 0x00), (4, 4, 0x86), (5, 4, 0x86),
                (6, 4, 0x86), (7, 1, 0x00),
            ])
        for (index, step) in steps.enumerated() {
            out.data(local: 2) { w in
                w.u16(UInt16(clamping: index))
                switch step {
                case .repeatFrom(let from, let times):
                    w.string("", size: 32)
                    w.u8(6)  // repeat_until_steps_cmplt
                    w.u32(UInt32(clamping: from))
                    w.u8(2)  // open
                    w.u32(UInt32(clamping: times))
                    w.u32(0)
                    w.u32(0)
                    w.u8(WorkoutStep.Intensity.active.rawValue)
                case .step(let name, let length, let target, let intensity, _):
                    w.string(name, size: 32)
                    switch length {
                    case .meters(let m): w.u8(1); w.u32(UInt32(clamping: Int(saturating: m * 100)))
                    case .seconds(let s): w.u8(0); w.u32(UInt32(clamping: Int(saturating: s * 1000)))
                    case .open: w.u8(5); w.u32(0)
                    }
                    switch target {
                    case .speed(let low, let high):
                        w.u8(0)
                        w.u32(0)
                        w.u32(UInt32(clamping: Int(saturating: low * 1000)))
                        w.u32(UInt32(clamping: Int(saturating: high * 1000)))
                    case .heartRate(let low, let high):
                        w.u8(1)
                        w.u32(0)
                        w.u32(UInt32(clamping: low + 100))  // custom heart rates are bpm + 100
                        w.u32(UInt32(clamping: high + 100))
                    case .power(let low, let high):
                        w.u8(4)
                        w.u32(0)
                        w.u32(UInt32(clamping: low + 1000))  // custom powers are watts + 1000
                        w.u32(UInt32(clamping: high + 1000))
                    case .open:
                        w.u8(2)
                        w.u32(0)
                        w.u32(0)
                        w.u32(0)
                    }
                    w.u8(intensity.rawValue)
                }
            }
        }
        return out.file()
    }
}

/// FIT's record layer: definition and data messages (little-endian), the header and the CRCs.
struct FITWriter {
    private var records: [UInt8] = []

    struct Fields {
        var bytes: [UInt8] = []
        mutating func u8(_ v: UInt8) { bytes.append(v) }
        mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        mutating func u32(_ v: UInt32) { bytes += (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        /// UTF-8, cut on a character boundary to leave room for the terminating NUL, padded with NULs.
        mutating func string(_ text: String, size: Int) {
            var encoded: [UInt8] = []
            for character in text.filter({ $0 != "\0" }) {
                let next = Array(String(character).utf8)
                if encoded.count + next.count > size - 1 { break }
                encoded += next
            }
            bytes += encoded + [UInt8](repeating: 0, count: size - encoded.count)
        }
    }

    mutating func define(local: UInt8, global: UInt16, fields: [(UInt8, UInt8, UInt8)]) {
        records += [0x40 | local, 0, 0, UInt8(global & 0xFF), UInt8(global >> 8), UInt8(fields.count)]
        for (number, size, type) in fields { records += [number, size, type] }
    }

    mutating func data(local: UInt8, _ write: (inout Fields) -> Void) {
        var fields = Fields()
        write(&fields)
        records += [local] + fields.bytes
    }

    func file() -> [UInt8] {
        let size = UInt32(records.count)
        var header: [UInt8] = [14, 0x20, UInt8(2132 & 0xFF), UInt8(2132 >> 8)]
        header += (0..<4).map { UInt8((size >> (8 * $0)) & 0xFF) } + Array(".FIT".utf8)
        let headerCRC = FITReader.crc(header[...])
        header += [UInt8(headerCRC & 0xFF), UInt8(headerCRC >> 8)]
        let body = header + records
        let crc = FITReader.crc(body[...])
        return body + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }
}

/// A Zwift workout (`.zwo`): runs and rides as steady blocks at a fraction of threshold — for runs
/// the athlete's threshold (T) pace, for rides FTP. Zwift has no nested repeats: a repeat of one
/// work and one easy block is an `IntervalsT`, any other repeat is written out in full.
public enum WorkoutZWO {
    /// Fraction of FTP per zone for rides (the middle of Coggan's power levels 1–6).
    static let rideFraction: [PaceZone: Double] = [
        .z1: 0.50, .z2: 0.65, .z3: 0.83, .z4: 0.98, .z5: 1.13, .z6: 1.30,
    ]

    public static func supports(_ sport: Sport) -> Bool { sport == .run || sport == .bike }

    public static func encode(_ workout: Workout, targets: WorkoutFileTargets) -> String {
        let zones = targets.zones ?? PaceZones(vdotValue: PaceZones.referenceVDOT)
        func fraction(_ zone: PaceZone) -> Double {
            guard workout.sport == .run, let zones else { return rideFraction[zone] ?? 0.65 }
            let t = zones.range(.z3)
            let r = zones.range(zone)
            let threshold = 2000 / (t.fast + t.slow), speed = 2000 / (r.fast + r.slow)
            return threshold > 0 && speed.isFinite ? speed / threshold : 1
        }
        func seconds(_ block: WorkoutBlock) -> Int {
            if block.lengthTarget == .duration, let s = block.durationSeconds, s > 0 { return Int(saturating: s) }
            let meters = block.distanceMeters ?? 0
            let pace = zones.map { ($0.range(block.pace).fast + $0.range(block.pace).slow) / 2 } ?? 360
            let perMeter = workout.sport == .run ? pace / 1000 : 1 / 8.3
            return Int(saturating: meters * perMeter)
        }
        func number(_ value: Double) -> String { String(format: "%.3f", value) }
        var lines: [String] = []
        func element(_ block: WorkoutBlock) -> String {
            let p = number(fraction(block.pace)), d = seconds(block)
            switch block.type {
            case .warmUp: return "<Warmup Duration=\"\(d)\" PowerLow=\"\(p)\" PowerHigh=\"\(p)\"/>"
            case .coolDown: return "<Cooldown Duration=\"\(d)\" PowerLow=\"\(p)\" PowerHigh=\"\(p)\"/>"
            default: return "<SteadyState Duration=\"\(d)\" Power=\"\(p)\"/>"
            }
        }
        func add(_ block: WorkoutBlock, depth: Int) {
            let children = block.children
            if !children.isEmpty {
                let times = max(1, min(block.repeatCount, 99))
                let simple = children.allSatisfy { $0.children.isEmpty && $0.repeatCount == 1 }
                if times > 1, children.count == 2, simple {
                    let on = children[0], off = children[1]
                    lines.append(
                        "<IntervalsT Repeat=\"\(times)\" OnDuration=\"\(seconds(on))\" "
                            + "OffDuration=\"\(seconds(off))\" "
                            + "OnPower=\"\(number(fraction(on.pace)))\" OffPower=\"\(number(fraction(off.pace)))\"/>")
                    return
                }
                for _ in 0..<times where depth < 4 { for child in children { add(child, depth: depth + 1) } }
                return
            }
            for _ in 0..<max(1, min(block.repeatCount, 99)) { lines.append(element(block)) }
        }
        for block in workout.blocks { add(block, depth: 0) }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <workout_file>
              <author>Paceline</author>
              <name>\(XMLText.escape(workout.name))</name>
              <description>\(XMLText.escape(workout.notes))</description>
              <sportType>\(workout.sport == .run ? "run" : "bike")</sportType>
              <tags/>
              <workout>
            \(lines.map { "    " + $0 }.joined(separator: "\n"))
              </workout>
            </workout_file>

            """
    }
}

/// Text for XML and SVG: the five special characters escaped, characters XML 1.0 forbids dropped.
public enum XMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let allowed = scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF
                if allowed || scalar == "\n" || scalar == "\t" || scalar == "\r" {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
