import Foundation
import PacelineCore

/// The workout editor's state as the form carries it: raw text, so a wrong value is shown back
/// as typed. Block fields are named `b.<path>.<field>` with path "0", "0.1" (child 1 of block 0).
struct WorkoutForm {
    struct Block {
        var type = BlockType.run.rawValue
        var distance = ""
        var duration = ""
        var pace = PaceZone.z1.rawValue
        var length = LengthTarget.duration.rawValue
        var intensity = IntensityTarget.pace.rawValue
        var repeatCount = "1"
        var children: [Block] = []

        static func fresh(_ type: BlockType = .run) -> Block {
            var block = Block()
            block.type = type.rawValue
            block.duration = "10:00"
            return block
        }
    }

    var name = ""
    var sport = Sport.run.rawValue
    var subtype = WorkoutSubtype.easyRun.rawValue
    var targetDistance = ""
    var targetDuration = ""
    var notes = ""
    var version = ""
    var blocks: [Block] = []

    /// Most blocks a posted form may carry before it is refused outright (validation allows 100).
    static let maxPostedBlocks = 20_000

    init() {}

    init(_ workout: Workout, version: Int? = nil) {
        name = workout.name
        sport = workout.sport.rawValue
        subtype = workout.subtype.rawValue
        targetDistance = workout.targetDistanceMeters.map { Self.number($0) } ?? ""
        targetDuration = workout.targetDurationSeconds.map { TimeFormat.clock($0) } ?? ""
        notes = workout.notes
        self.version = version.map(String.init) ?? ""
        blocks = workout.blocks.map(Self.block)
    }

    static func block(_ b: WorkoutBlock) -> Block {
        Block(
            type: b.type.rawValue, distance: b.distanceMeters.map { number($0) } ?? "",
            duration: b.durationSeconds.map { TimeFormat.clock($0) } ?? "", pace: b.pace.rawValue,
            length: b.lengthTarget.rawValue, intensity: b.intensityTarget.rawValue,
            repeatCount: String(b.repeatCount), children: b.children.map(block))
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(saturating: value)) : String(value)
    }

    /// Reads the posted form. Throws when it carries absurdly many blocks.
    init(form: FormData) throws(FieldRules.Invalid) {
        name = String(form["name"].prefix(1_000))
        sport = form["sport"]
        subtype = form["subtype"]
        targetDistance = String(form["target_distance"].prefix(30))
        targetDuration = String(form["target_duration"].prefix(30))
        notes = form["notes"]
        version = String(form["version"].prefix(20))
        var top: [Int: Block] = [:]
        var children: [Int: [Int: Block]] = [:]
        var count = 0
        for key in form.values.keys where key.hasPrefix("b.") && key.hasSuffix(".type") {
            count += 1
            if count > Self.maxPostedBlocks {
                throw FieldRules.Invalid("A workout has at most \(WorkoutRules.maxBlocks) blocks.")
            }
            let path = key.dropFirst(2).dropLast(5)
            let parts = path.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(parts.count), let first = parts[0], first >= 0, first < Self.maxPostedBlocks else {
                continue
            }
            let prefix = "b.\(path)."
            let block = Block(
                type: form[prefix + "type"], distance: String(form[prefix + "distance"].prefix(30)),
                duration: String(form[prefix + "duration"].prefix(30)), pace: form[prefix + "pace"],
                length: form[prefix + "length"], intensity: form[prefix + "intensity"],
                repeatCount: String(form[prefix + "repeat"].prefix(10)))
            if parts.count == 1 {
                top[first] = block
            } else if let second = parts[1], second >= 0, second < Self.maxPostedBlocks {
                children[first, default: [:]][second] = block
            }
        }
        if count > WorkoutRules.maxBlocks {
            throw FieldRules.Invalid("A workout has at most \(WorkoutRules.maxBlocks) blocks (the form sent \(count)).")
        }
        blocks = top.keys.sorted().compactMap { index in
            guard var block = top[index] else { return nil }
            block.children = (children[index] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
            return block
        }
    }

    // MARK: Editing operations (the buttons of the no-JavaScript editor)

    enum Operation: Equatable {
        case save, addBlock, addInterval, addChild(Int), moveUp([Int]), moveDown([Int]), remove([Int])

        init?(_ raw: String) {
            let parts = raw.split(separator: ":", maxSplits: 1).map(String.init)
            let path = parts.count > 1 ? parts[1].split(separator: ".").compactMap { Int($0) } : []
            switch parts.first ?? "save" {
            case "save": self = .save
            case "add": self = .addBlock
            case "add-interval": self = .addInterval
            case "add-child" where path.count == 1: self = .addChild(path[0])
            case "up" where (1...2).contains(path.count): self = .moveUp(path)
            case "down" where (1...2).contains(path.count): self = .moveDown(path)
            case "remove" where (1...2).contains(path.count): self = .remove(path)
            default: return nil
            }
        }
    }

    /// Applies a block operation; indexes out of range change nothing.
    mutating func apply(_ operation: Operation) {
        switch operation {
        case .save: break
        case .addBlock: blocks.append(.fresh())
        case .addInterval:
            var interval = Block.fresh(.interval)
            interval.duration = ""
            interval.repeatCount = "4"
            var work = Block.fresh(.run)
            work.length = LengthTarget.distance.rawValue
            work.distance = "1000"
            work.duration = ""
            work.pace = PaceZone.z4.rawValue
            var rest = Block.fresh(.recoveryRun)
            rest.duration = "2:00"
            interval.children = [work, rest]
            blocks.append(interval)
        case .addChild(let index):
            guard blocks.indices.contains(index) else { return }
            blocks[index].children.append(.fresh(.run))
        case .moveUp(let path): move(path, by: -1)
        case .moveDown(let path): move(path, by: 1)
        case .remove(let path):
            if path.count == 1, blocks.indices.contains(path[0]) {
                blocks.remove(at: path[0])
            } else if path.count == 2, blocks.indices.contains(path[0]),
                blocks[path[0]].children.indices.contains(path[1])
            {
                blocks[path[0]].children.remove(at: path[1])
            }
        }
    }

    private mutating func move(_ path: [Int], by offset: Int) {
        func swapIn(_ list: inout [Block], _ index: Int) {
            // The index comes from the form ("down:9223372036854775807"): check it before adding to it.
            guard list.indices.contains(index), list.indices.contains(index + offset) else { return }
            list.swapAt(index, index + offset)
        }
        if path.count == 1 {
            swapIn(&blocks, path[0])
        } else if path.count == 2, blocks.indices.contains(path[0]) {
            swapIn(&blocks[path[0]].children, path[1])
        }
    }

    // MARK: To the domain

    /// The workout, or the problems keyed by field name ("name", "b.0.distance").
    func workout() -> (Workout?, [String: String]) {
        var errors: [String: String] = [:]
        let sport = Sport(rawValue: sport)
        if sport == nil { errors["sport"] = "Choose a sport." }
        let subtype = WorkoutSubtype(rawValue: subtype)
        if subtype == nil { errors["subtype"] = "Choose a kind of workout." }
        let distance = Self.optionalNumber(targetDistance, field: "target_distance", errors: &errors)
        var duration: Double?
        if !targetDuration.trimmingCharacters(in: .whitespaces).isEmpty {
            duration = TimeFormat.parseClock(targetDuration)
            if duration == nil { errors["target_duration"] = "Enter the duration as H:MM:SS or MM:SS." }
        }
        let parsed = blocks.enumerated().map { index, block in Self.block(block, path: "\(index)", errors: &errors) }
        let blocksRead = parsed.allSatisfy { $0 != nil }
        // The rules run on whatever was read, so an unreadable field elsewhere does not hide a range error
        // here: every field's problem is reported at once. (Block paths only line up when all blocks were read.)
        let workout = Workout(
            name: name.trimmingCharacters(in: .whitespacesAndNewlines), sport: sport ?? .run,
            subtype: subtype ?? .easyRun, targetDistanceMeters: distance, targetDurationSeconds: duration,
            notes: notes.trimmingCharacters(in: .whitespacesAndNewlines), blocks: parsed.compactMap { $0 })
        for issue in WorkoutRules.validate(workout)
        where blocksRead || (issue.path.isEmpty && issue.field != "blocks") {
            if (sport == nil || subtype == nil) && ["sport", "subtype"].contains(issue.field) { continue }
            let key =
                issue.path.isEmpty
                ? issue.field : "b.\(issue.path.map(String.init).joined(separator: ".")).\(issue.field)"
            if errors[key] == nil { errors[key] = issue.message }
        }
        guard errors.isEmpty, sport != nil, subtype != nil, blocksRead else { return (nil, errors) }
        return (workout, [:])
    }

    static func optionalNumber(_ raw: String, field: String, errors: inout [String: String]) -> Double? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let value = NumberInput.decimal(text) else {
            errors[field] = "Enter a number of meters."
            return nil
        }
        return value
    }

    static func block(_ form: Block, path: String, errors: inout [String: String]) -> WorkoutBlock? {
        let key = "b.\(path)."
        var ok = true
        func fail(_ field: String, _ message: String) { errors[key + field] = message; ok = false }
        let type = BlockType(rawValue: form.type)
        if type == nil { fail("type", "Choose a block type.") }
        let pace = PaceZone(rawValue: form.pace)
        if pace == nil { fail("pace", "Choose a zone z1–z6.") }
        let length = LengthTarget(rawValue: form.length)
        if length == nil && type != .interval { fail("length", "Choose distance or duration.") }
        let intensity = IntensityTarget(rawValue: form.intensity)
        if intensity == nil { fail("intensity", "Choose pace, heart rate or power.") }
        let repeatCount = Int(form.repeatCount.trimmingCharacters(in: .whitespaces))
        if repeatCount == nil { fail("repeat", "Repeat must be a whole number.") }
        // Only the quantity that governs the block is kept: a block switched from time to distance
        // must not carry its old time into the totals (and a stale entry in the other field is no error).
        let governs = length ?? .duration
        var distance: Double?
        if governs == .distance {
            distance = optionalNumber(form.distance, field: key + "distance", errors: &errors)
        }
        var duration: Double?
        if governs == .duration, !form.duration.trimmingCharacters(in: .whitespaces).isEmpty {
            duration = TimeFormat.parseClock(form.duration)
            if duration == nil { fail("duration", "Enter the duration as H:MM:SS or MM:SS.") }
        }
        let children = form.children.enumerated().map { index, child in
            block(child, path: "\(path).\(index)", errors: &errors)
        }
        guard ok, errors[key + "distance"] == nil, let type, let pace, let intensity, let repeatCount,
            children.allSatisfy({ $0 != nil })
        else { return nil }
        return WorkoutBlock(
            type, distance: distance, duration: duration, pace: pace, length: length ?? .duration,
            intensity: intensity, repeat: repeatCount, children: children.compactMap { $0 })
    }
}
