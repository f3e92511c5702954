import Foundation

/// Delivery through a local sendmail-compatible program (Debian's msmtp, postfix or exim's
/// `sendmail`): the message on its standard input, the recipient as an argument
/// (`-i -f SENDER -- RECIPIENT`, which all of them accept). Exit status 0 means the program took
/// the message; EX_USAGE, EX_DATAERR and EX_NOUSER (64, 65, 67: the message or its address will
/// never pass) are permanent; every other status — a relay that cannot be reached is EX_NOHOST or
/// EX_UNAVAILABLE — is tried again later.
public struct SendmailTransport: MailTransport {
    public let executable: String
    public let arguments: [String]

    /// `commandLine` is the program and its own options, split on spaces (`/usr/bin/msmtp -a relay`).
    public init(commandLine: String) throws {
        let words = commandLine.split(separator: " ").map(String.init)
        guard let program = words.first, program.hasPrefix("/") else {
            throw MailSettingsError("PACELINE_SENDMAIL must start with an absolute path to the program")
        }
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw MailSettingsError("PACELINE_SENDMAIL: \(program) is not an executable file")
        }
        executable = program
        arguments = Array(words.dropFirst())
    }

    public var summary: String { "sendmail program \(executable)" }

    public func deliver(_ message: [UInt8], envelope: MailEnvelope) async throws {
        let executable = executable
        let arguments = arguments + ["-i", "-f", envelope.sender, "--", envelope.recipient]
        // Writing to a program that already exited must not kill the server (SIGPIPE's default).
        signal(SIGPIPE, SIG_IGN)
        // Process waits block a thread: run them off the caller's.
        let status: (Int32, Process.TerminationReason, String) = try await withCheckedThrowingContinuation {
            continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let input = Pipe(), errors = Pipe()
                process.standardInput = input
                process.standardOutput = FileHandle.nullDevice
                process.standardError = errors
                do {
                    try process.run()
                } catch {
                    continuation.resume(
                        throwing: MailDeliveryError.temporary("could not start \(executable): \(error)"))
                    return
                }
                // A program that exits without reading closes the pipe: the write fails with EPIPE (thrown,
                // not a signal — SIGPIPE is ignored) and the exit status below says why.
                try? input.fileHandleForWriting.write(contentsOf: Data(message))
                try? input.fileHandleForWriting.close()
                let stderr = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let said = String(decoding: stderr.prefix(500), as: UTF8.self)
                continuation.resume(returning: (process.terminationStatus, process.terminationReason, said))
            }
        }
        let (code, reason, said) = status
        if reason == .uncaughtSignal { throw MailDeliveryError.temporary("\(executable) was killed (\(code))") }
        switch code {
        case 0: return
        case 64, 65, 67: throw MailDeliveryError.permanent("\(executable) exit \(code): \(said)")
        default: throw MailDeliveryError.temporary("\(executable) exit \(code): \(said)")
        }
    }
}
