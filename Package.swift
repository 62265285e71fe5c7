// swift-tools-version:6.0
import PackageDescription

/// The engine's hot loops need the CPU's vector units (AVX-512 here): without `-target-cpu native`
/// Swift targets baseline x86-64 and turns every SIMD FMA into a libm call. Hot modules are also
/// optimized in debug builds so that `swift test` runs the real model in seconds, not minutes.
let native: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native"]),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]
let nativeC: [CSetting] = [
    .unsafeFlags(["-march=native", "-O3"]),
]
/// The C kernels pick their instruction set per function (`target` attributes) and at run time, so the binary
/// runs on any x86-64; contraction stays off so that every rounding is the one written, as in ggml.
let portableC: [CSetting] = [
    .unsafeFlags(["-O3", "-ffp-contract=off"]),
]

let package = Package(
    name: "BioMedR1",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "biomed-r1", targets: ["BioMedR1CLI"]),
        .library(name: "TensorNumerics", targets: ["TensorNumerics"]),
        .library(name: "ModelFiles", targets: ["ModelFiles"]),
        .library(name: "Tokenizers", targets: ["Tokenizers"]),
        .library(name: "LLM", targets: ["LLM"]),
        .library(name: "Encoder", targets: ["Encoder"]),
        .library(name: "MedQA", targets: ["MedQA"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Server", targets: ["Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(name: "CNumerics", cSettings: portableC),
        .target(name: "TensorNumerics", dependencies: ["CNumerics"], swiftSettings: native),
        .target(
            name: "ModelFiles",
            dependencies: ["TensorNumerics", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: native),
        .target(name: "Tokenizers", dependencies: ["ModelFiles"], swiftSettings: native),
        .target(name: "LLM", dependencies: ["TensorNumerics", "ModelFiles", "Tokenizers"], swiftSettings: native),
        .target(name: "Encoder", dependencies: ["TensorNumerics", "ModelFiles", "Tokenizers"], swiftSettings: native),
        .target(name: "MedQA", dependencies: ["Tokenizers", "ModelFiles", "Encoder"]),
        .target(
            name: "Evaluation",
            dependencies: ["MedQA", "LLM", "Tokenizers", "ModelFiles", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "Server",
            dependencies: [
                "LLM", "Tokenizers", "ModelFiles",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "BioMedR1CLI",
            dependencies: [
                "LLM", "Tokenizers", "ModelFiles", "TensorNumerics", "Encoder", "MedQA", "Evaluation", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: native),

        .target(name: "TestSupport", dependencies: ["ModelFiles"], path: "Tests/TestSupport"),
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(name: "TensorNumericsTests", dependencies: ["TensorNumerics", "TestSupport"], swiftSettings: native),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "TensorNumerics", "TestSupport"], swiftSettings: native),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "ModelFiles", "TestSupport"], swiftSettings: native),
        .testTarget(name: "LLMTests", dependencies: ["LLM", "ModelFiles", "TensorNumerics", "Tokenizers", "TestSupport", "AllocationCounter"], swiftSettings: native),
        .testTarget(name: "EncoderTests", dependencies: ["Encoder", "Tokenizers", "ModelFiles", "TensorNumerics", "TestSupport"], swiftSettings: native),
        .testTarget(name: "MedQATests", dependencies: ["MedQA", "Encoder", "Tokenizers", "ModelFiles", "TestSupport"]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["Evaluation", "MedQA", "LLM", "Tokenizers", "ModelFiles", "Server", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "LLM", "Tokenizers", "TestSupport", "BioMedR1CLI"], exclude: ["Clients"]),
        .testTarget(name: "BioMedR1CLITests", dependencies: ["BioMedR1CLI", "Evaluation", "MedQA", "ModelFiles", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
