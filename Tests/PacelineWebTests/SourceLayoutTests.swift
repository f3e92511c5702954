import Foundation
import Testing

/// The layout rules of docs/ARCHITECTURE.md that a reviewer would otherwise check by eye:
/// short lines everywhere, small controllers that route and never call each other, and no
/// "coach" flag standing in for whose data a page shows (that is `AthleteContext`).
struct SourceLayoutTests {
    static let root = TestApp.repoRoot
    static let maxLine = 120
    static let maxControllerLines = 250

    static func files(under folder: String, suffixes: [String]) throws -> [URL] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { url in suffixes.contains { url.path.hasSuffix($0) } }
    }

    @Test func noLineIsLongerThan120Characters() throws {
        var long: [String] = []
        var checked = 0
        for folder in ["Sources", "Tests", "Templates"] {
            // Generated code (swift-openapi-generator's) is not written by hand and not held to it.
            for file in try Self.files(under: folder, suffixes: [".swift", ".mustache", ".py"])
            where !file.path.contains("/Generated/") {
                let text = try String(contentsOf: file, encoding: .utf8)
                checked += 1
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.count > Self.maxLine {
                    long.append("\(file.path.replacingOccurrences(of: Self.root.path + "/", with: "")):\(number + 1) "
                        + "(\(line.count))")
                }
            }
        }
        #expect(checked > 150)
        #expect(long.isEmpty, "lines over \(Self.maxLine) characters: \(long.prefix(20))")
    }

    @Test func controllersOnlyRouteAndNeverCallEachOther() throws {
        let controllers = try Self.files(under: "Sources/PacelineWeb", suffixes: ["Controller.swift"])
        #expect(controllers.count >= 15)
        let names = Set(controllers.map { $0.deletingPathExtension().lastPathComponent })
        for file in controllers {
            let text = try String(contentsOf: file, encoding: .utf8)
            let own = file.deletingPathExtension().lastPathComponent
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= Self.maxControllerLines, "\(own) has \(lines) lines")
            for other in names where other != own {
                #expect(!text.contains(other + "(") && !text.contains(other + "."), "\(own) calls \(other)")
            }
        }
    }

    @Test func noPageSaysWhoseDataItIsWithAFlag() throws {
        for file in try Self.files(under: "Sources/PacelineWeb", suffixes: [".swift"]) {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("coach: Bool") && !text.contains("coach: true") && !text.contains("coach: false"),
                    "\(file.lastPathComponent) passes a coach flag")
        }
    }
}
