// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "paceline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "paceline", targets: ["paceline"]),
        .library(name: "PacelineCore", targets: ["PacelineCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // Pure domain and training science: no web, no SQL, no I/O.
        .target(name: "PacelineCore"),
        // Debian's libcmark, through a one-line shim header.
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        // The only module that imports GRDB.
        .target(
            name: "PacelineStore",
            dependencies: [
                "PacelineCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Mail out: RFC 5322/MIME messages, SMTP (STARTTLS through swift-nio-ssl) or a sendmail program.
        .target(
            name: "PacelineMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                // Its serializer writes the multipart/alternative body (parts, boundaries, part headers).
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
        .target(
            name: "PacelineWeb",
            dependencies: [
                "PacelineCore",
                "PacelineStore",
                "PacelineMail",
                "CCmark",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // Only its streaming parser: uploads are read part by part, never whole.
                .product(name: "MultipartKit", package: "multipart-kit"),
                // "Send to watch": a week's FIT files in one zip.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "paceline",
            dependencies: [
                "PacelineCore",
                "PacelineStore",
                "PacelineWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `make bench`: throughput of the science core, release build, numbers on stdout.
        .executableTarget(name: "paceline-bench", dependencies: ["PacelineCore", "PacelineStore"], path: "Sources/PacelineBench"),
        .testTarget(name: "PacelineCoreTests", dependencies: ["PacelineCore"]),
        .testTarget(name: "PacelineStoreTests", dependencies: ["PacelineStore", "PacelineCore"]),
        .testTarget(
            name: "PacelineWebTests",
            dependencies: [
                "PacelineWeb", "PacelineStore", "PacelineCore", "PacelineMail",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
