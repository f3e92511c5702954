import Foundation
import Logging

/// Who the message goes to and comes from on the wire (SMTP's envelope), apart from its headers.
public struct MailEnvelope: Sendable, Hashable {
    public let sender: String
    public let recipient: String

    public init(sender: String, recipient: String) {
        self.sender = sender
        self.recipient = recipient
    }
}

/// Why a delivery failed: a temporary failure is tried again later, a permanent one is not.
public enum MailDeliveryError: Error, Sendable, CustomStringConvertible {
    case temporary(String)
    case permanent(String)

    public var description: String {
        switch self {
        case .temporary(let message): "temporary: \(message)"
        case .permanent(let message): "permanent: \(message)"
        }
    }

    public var isPermanent: Bool {
        if case .permanent = self { return true }
        return false
    }
}

/// Hands a finished message to something that delivers mail.
public protocol MailTransport: Sendable {
    /// Returns once the receiver has taken responsibility for the message (SMTP's 250 after DATA,
    /// sendmail's exit status 0); throws `MailDeliveryError` otherwise.
    func deliver(_ message: [UInt8], envelope: MailEnvelope) async throws
    /// For logs and the operations page: where mail goes, without secrets.
    var summary: String { get }
}

/// With no relay configured (development, the demo): each message becomes a `.eml` file in a
/// folder, where a mail program or `cat` reads it. Nothing leaves the machine.
public struct DirectoryTransport: MailTransport {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var summary: String { "files in \(directory)" }

    public func deliver(_ message: [UInt8], envelope: MailEnvelope) async throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let stamp = Int(Date().timeIntervalSince1970 * 1000)
            let name = "\(stamp)-\(UInt32.random(in: 0...UInt32.max)).eml"
            try Data(message).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name), options: .atomic)
        } catch {
            throw MailDeliveryError.temporary("could not write to \(directory): \(error)")
        }
    }
}

/// How mail leaves, read from the environment once at start.
public enum MailSettings {
    /// `PACELINE_SMTP_URL` (an SMTP relay), else `PACELINE_SENDMAIL` (a sendmail-compatible
    /// program), else `.eml` files in `fallbackDirectory`. A malformed setting is an error at start,
    /// not a silent fallback.
    public static func transport(
        environment: [String: String], fallbackDirectory: String
    ) throws -> any MailTransport {
        if let url = environment["PACELINE_SMTP_URL"], !url.isEmpty {
            var settings = try SMTPSettings(url: url)
            if let ca = environment["PACELINE_SMTP_CA"], !ca.isEmpty { settings.trustedCertificatesFile = ca }
            return SMTPTransport(settings: settings)
        }
        if let command = environment["PACELINE_SENDMAIL"], !command.isEmpty {
            return try SendmailTransport(commandLine: command)
        }
        return DirectoryTransport(directory: fallbackDirectory)
    }
}

public struct MailSettingsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
