import ArgumentParser
import Foundation
import PacelineCore

struct ActivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity", abstract: "Activity files.", subcommands: [Summary.self])

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Summarize an activity file: GPX, TCX or FIT.")
        @Argument(help: "The file.") var file: String
        @Flag(help: "Print JSON (snake_case keys, meters, seconds, null where the file has no data).") var json = false
        @Option(help: "Split length: km or mi.") var splits: String = "km"

        func run() throws {
            guard let units = UnitSystem(rawValue: splits) else { throw Self.fail("--splits must be km or mi") }
            let url = URL(fileURLWithPath: file)
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            guard let size = attributes?[.size] as? Int else { throw Self.fail("cannot read \(file)") }
            guard size <= ActivityLimits.maxBytes else { throw Self.fail("\(file) is larger than 25 MB") }
            guard let data = try? Data(contentsOf: url) else { throw Self.fail("cannot read \(file)") }
            var tracks: [Track] = []
            let track: Track
            switch url.pathExtension.lowercased() {
            case "gpx":
                do { track = try GPXReader.read(data) } catch { throw Self.fail("\(file): \(error.description)") }
            case "tcx":
                do { track = try TCXReader.read(data) } catch { throw Self.fail("\(file): \(error.description)") }
            case "fit":
                do { tracks = try FITReader.read(data) } catch { throw Self.fail("\(file): \(error.description)") }
                guard let whole = Track.combining(tracks) else {
                    throw Self.fail("\(file): the FIT file has no records")
                }
                track = whole
            default:
                throw Self.fail("\(file): unknown file type; expected .gpx, .tcx or .fit")
            }
            let summary = ActivitySummary(track, splitUnit: units)
            let sessions = tracks.count > 1 ? tracks.map { ActivitySummary($0, splitUnit: units) } : []
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(
                    String(
                        decoding: try encoder.encode(ActivitySummaryJSON(summary, sessions: sessions)), as: UTF8.self))
                return
            }
            print("\(summary.sport.rawValue) \(summary.startTime.map { "\($0)" } ?? "(no time)")")
            print(
                String(
                    format: "distance %.2f km, elapsed %@, moving %@", summary.distanceMeters / 1000,
                    summary.elapsedSeconds.map(TimeFormat.clock) ?? "–",
                    summary.movingSeconds.map(TimeFormat.clock) ?? "–"))
            if let hr = summary.averageHeartRate {
                print(String(format: "heart rate avg %.0f, max %.0f", hr, summary.maxHeartRate ?? hr))
            }
            if let gain = summary.elevationGain {
                print(String(format: "elevation +%.0f m / -%.0f m", gain, summary.elevationLoss ?? 0))
            }
            print("\(summary.points) points, \(summary.droppedPoints) dropped")
            for split in summary.splits { print("  \(units.label) \(split.index): \(TimeFormat.clock(split.seconds))") }
        }
    }
}
