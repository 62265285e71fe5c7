import Foundation
import TestSupport
import Encoder

/// The committed goldens of scripts/make-encoder-goldens.py and the cached MiniLM folder.
enum EncoderFixtures {
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: TestPaths.fixture("encoder/\(name)"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// all-MiniLM-L6-v2, fetched with pip and cached on first use exactly as the tool does it.
    static func miniLM() throws -> URL { try DefaultEncoder.folder() }

    static let tinyClassifier = TestPaths.fixture("encoder/tiny-bert-classifier")

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }
}
