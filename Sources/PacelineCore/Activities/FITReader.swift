import Foundation

/// Garmin FIT files, written from the public FIT protocol: 12- or 14-byte header, definition and
/// data messages (either byte order), compressed-timestamp record headers, developer fields
/// skipped, CRC-16 checked. Reads record, lap, session and file_id messages with the profile's
/// scales and offsets. Every read is bounds-checked: a damaged file ends in an error, never a trap.
public enum FITReader {
    /// Seconds from 1970 to the FIT epoch, 1989-12-31T00:00:00Z.
    static let epochOffset = 631_065_600.0
    /// Semicircles to degrees: deg = s · 180 / 2³¹.
    static let degreesPerSemicircle = 180.0 / 2_147_483_648.0

    /// One track per session (a multisport file has several); without sessions, one track.
    public static func read(_ data: Data) throws(ActivityFileError) -> [Track] {
        guard data.count <= ActivityLimits.maxBytes else { throw ActivityFileError("The file is larger than 25 MB.") }
        let b = [UInt8](data)
        guard b.count >= 12 else { throw ActivityFileError("The file is too short to be a FIT file.") }
        let headerSize = Int(b[0])
        guard headerSize == 12 || headerSize == 14, b.count >= headerSize, b[8] == 0x2E, b[9] == 0x46, b[10] == 0x49,
            b[11] == 0x54
        else {
            throw ActivityFileError("This is not a FIT file (no .FIT signature).")
        }
        let dataSize = Int(UInt32(b[4]) | UInt32(b[5]) << 8 | UInt32(b[6]) << 16 | UInt32(b[7]) << 24)
        guard headerSize + dataSize + 2 <= b.count else {
            throw ActivityFileError(
                "The FIT file is incomplete: it is shorter than its header says (was the upload cut off?).")
        }
        let end = headerSize + dataSize
        let stored = UInt16(b[end]) | UInt16(b[end + 1]) << 8
        guard crc(b[0..<end]) == stored else {
            throw ActivityFileError("The FIT file is damaged (its checksum does not match).")
        }

        var parser = Parser(bytes: b, end: end)
        try parser.run(from: headerSize)
        return parser.tracks()
    }

    /// FIT's CRC-16 (nibble table, as published in the protocol).
    public static func crc(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        let table: [UInt16] = [
            0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
            0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
        ]
        var crc: UInt16 = 0
        for byte in bytes {
            var tmp = table[Int(crc & 0xF)]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ table[Int(byte & 0xF)]
            tmp = table[Int(crc & 0xF)]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ table[Int((byte >> 4) & 0xF)]
        }
        return crc
    }

    struct FieldDefinition {
        let number: UInt8
        let size: Int
        let baseType: UInt8
    }

    struct Definition {
        let global: UInt16
        let bigEndian: Bool
        let fields: [FieldDefinition]
        let developerBytes: Int
    }

    struct Session {
        var totals = DeviceTotals()
        var end: Double?
    }

    struct Parser {
        let bytes: [UInt8]
        let end: Int
        var definitions: [Int: Definition] = [:]
        var lastTimestamp: UInt32 = 0
        var samples: [(Double, TrackSample)] = []
        var sessions: [Session] = []

        init(bytes: [UInt8], end: Int) {
            self.bytes = bytes
            self.end = end
        }

        func need(_ offset: Int, _ count: Int) throws(ActivityFileError) {
            guard count >= 0, offset >= 0, offset + count <= end else {
                throw ActivityFileError("The FIT file is damaged: a message runs past the end of the data.")
            }
        }

        mutating func run(from start: Int) throws(ActivityFileError) {
            var i = start
            while i < end {
                try need(i, 1)
                let header = bytes[i]
                i += 1
                if header & 0x80 != 0 {  // compressed timestamp header: a data message
                    let local = Int((header >> 5) & 0x03)
                    let offset = UInt32(header & 0x1F)
                    var timestamp = (lastTimestamp & ~0x1F) | offset
                    if offset < (lastTimestamp & 0x1F) { timestamp &+= 0x20 }
                    lastTimestamp = timestamp
                    i = try data(at: i, local: local, compressedTime: timestamp)
                } else if header & 0x40 != 0 {  // definition message
                    let local = Int(header & 0x0F)
                    let developer = header & 0x20 != 0
                    try need(i, 5)
                    let bigEndian = bytes[i + 1] == 1
                    let global =
                        bigEndian
                        ? UInt16(bytes[i + 2]) << 8 | UInt16(bytes[i + 3])
                        : UInt16(bytes[i + 3]) << 8 | UInt16(bytes[i + 2])
                    let count = Int(bytes[i + 4])
                    i += 5
                    try need(i, count * 3)
                    var fields: [FieldDefinition] = []
                    for f in 0..<count {
                        fields.append(
                            FieldDefinition(
                                number: bytes[i + 3 * f], size: Int(bytes[i + 3 * f + 1]),
                                baseType: bytes[i + 3 * f + 2]))
                    }
                    i += count * 3
                    var developerBytes = 0
                    if developer {
                        try need(i, 1)
                        let devCount = Int(bytes[i])
                        i += 1
                        try need(i, devCount * 3)
                        for f in 0..<devCount { developerBytes += Int(bytes[i + 3 * f + 1]) }
                        i += devCount * 3
                    }
                    definitions[local] = Definition(
                        global: global, bigEndian: bigEndian, fields: fields, developerBytes: developerBytes)
                } else {
                    i = try data(at: i, local: Int(header & 0x0F), compressedTime: nil)
                }
                if samples.count > ActivityLimits.maxSamples {
                    throw ActivityFileError("The file has more than \(ActivityLimits.maxSamples) records.")
                }
            }
        }

        /// Reads one field as an unsigned or signed integer; nil for FIT's "invalid" values.
        func integer(_ f: FieldDefinition, at offset: Int, bigEndian: Bool) -> Int64? {
            let width: Int
            let signed: Bool
            switch f.baseType & 0x1F {
            case 0x00, 0x02, 0x0A, 0x0D: (width, signed) = (1, false)
            case 0x01: (width, signed) = (1, true)
            case 0x04, 0x0B: (width, signed) = (2, false)
            case 0x03: (width, signed) = (2, true)
            case 0x06, 0x0C: (width, signed) = (4, false)
            case 0x05: (width, signed) = (4, true)
            default: return nil
            }
            guard f.size == width else { return nil }  // arrays and odd sizes are not fields we read
            var raw: UInt64 = 0
            for k in 0..<width {
                let byte = UInt64(bytes[offset + (bigEndian ? k : width - 1 - k)])
                raw = raw << 8 | byte
            }
            let allOnes: UInt64 = width == 8 ? .max : (UInt64(1) << (8 * width)) - 1
            let zInvalid = [0x0A, 0x0B, 0x0C].contains(f.baseType & 0x1F) && raw == 0
            if signed {
                let half = UInt64(1) << (8 * width - 1)
                if raw == half - 1 { return nil }  // 0x7F…: invalid
                return raw >= half ? Int64(raw) - Int64(bitPattern: half << 1) : Int64(raw)
            }
            if raw == allOnes || zInvalid { return nil }
            return Int64(raw)
        }

        mutating func data(at start: Int, local: Int, compressedTime: UInt32?) throws(ActivityFileError) -> Int {
            guard let definition = definitions[local] else {
                throw ActivityFileError("The FIT file is damaged: a data message uses an undefined message type.")
            }
            var values: [UInt8: Int64] = [:]
            var i = start
            for field in definition.fields {
                try need(i, field.size)
                if let value = integer(field, at: i, bigEndian: definition.bigEndian) { values[field.number] = value }
                i += field.size
            }
            try need(i, definition.developerBytes)
            i += definition.developerBytes  // developer fields: skipped safely
            if let ts = values[253], ts >= 0, ts <= Int64(UInt32.max) { lastTimestamp = UInt32(ts) }
            let time = (values[253].map { Double($0) } ?? compressedTime.map { Double($0) }).map {
                $0 + FITReader.epochOffset
            }
            switch definition.global {
            case 0:  // file_id: nothing we need beyond knowing it is an activity
                break
            case 20:  // record
                var sample = TrackSample()
                sample.time = time.map { Date(timeIntervalSince1970: $0) }
                if let lat = values[0], let lon = values[1] {
                    sample.latitude = Double(lat) * FITReader.degreesPerSemicircle
                    sample.longitude = Double(lon) * FITReader.degreesPerSemicircle
                }
                if let altitude = values[78] ?? values[2] { sample.altitude = Double(altitude) / 5 - 500 }
                if let hr = values[3], hr > 0 { sample.heartRate = Double(hr) }
                if let cadence = values[4] { sample.cadence = Double(cadence) }
                if let distance = values[5] { sample.distance = Double(distance) / 100 }
                if let power = values[7] { sample.power = Double(power) }
                // Stance time balance (field 84, percent × 100) or left/right balance (field 30: the low
                // seven bits are a percentage; the top bit says which side it is — the deviation from 50
                // is the same either way).
                if let stance = values[84], stance > 0, stance < 10_000 {
                    sample.balance = Double(stance) / 100
                } else if let lr = values[30], (lr & 0x7F) <= 100 {
                    sample.balance = Double(lr & 0x7F)
                }
                samples.append((time ?? 0, sample))
            case 18:  // session
                var session = Session()
                session.totals.sport = values[5].map(Self.sport)
                session.totals.startTime = values[2].map {
                    Date(timeIntervalSince1970: Double($0) + FITReader.epochOffset)
                }
                session.totals.elapsedSeconds = values[7].map { Double($0) / 1000 }
                session.totals.timerSeconds = values[8].map { Double($0) / 1000 }
                session.totals.distanceMeters = values[9].map { Double($0) / 100 }
                session.totals.averageHeartRate = values[16].map(Double.init)
                session.totals.maxHeartRate = values[17].map(Double.init)
                session.end = time
                sessions.append(session)
            default:
                break
            }
            return i
        }

        static func sport(_ value: Int64) -> ActivitySport {
            switch value {
            case 1: .running
            case 2: .cycling
            case 5: .swimming
            case 11: .walking
            case 17: .hiking
            default: .other
            }
        }

        /// Records split by session (each session's start and end), or all in one track.
        func tracks() -> [Track] {
            let all = samples.map(\.1)
            guard !sessions.isEmpty else { return [Track(sport: .other, segments: [all])] }
            return sessions.map { session in
                let start = session.totals.startTime?.timeIntervalSince1970 ?? -.infinity
                let stop = session.end ?? .infinity
                let mine = sessions.count == 1 ? all : samples.filter { $0.0 >= start && $0.0 <= stop }.map(\.1)
                return Track(sport: session.totals.sport ?? .other, segments: [mine], device: session.totals)
            }
        }
    }
}

extension ActivitySource {
    /// The tracks of an activity file of this kind (a FIT file may hold several sessions); the
    /// upload page and the API read files through this one switch.
    public func tracks(_ data: Data) throws(ActivityFileError) -> [Track] {
        switch self {
        case .gpx: [try GPXReader.read(data)]
        case .tcx: [try TCXReader.read(data)]
        case .fit: try FITReader.read(data)
        case .manual, .csv: throw ActivityFileError("Not a GPX, TCX or FIT file.")
        }
    }
}
